import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The floor: the JVM reading every line of the file into a String and counting them. */
public class LineCount {
  public static void main(String[] args) throws Exception {
    long n = 0;
    try (BufferedReader r = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
      while (r.readLine() != null) {
        n++;
      }
    }
    System.out.println(n);
  }
}
