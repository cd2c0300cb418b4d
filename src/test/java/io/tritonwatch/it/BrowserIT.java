package io.tritonwatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTML timeline in a real headless Chromium: it renders, and the stage bars are in the DOM. */
class BrowserIT {

  private static final Pattern BAR = Pattern.compile("class=\"stage-bar[^\"]*\" data-stage=\"([a-z_]+)\"");

  private static Docker.Result chromium(Path profile, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--window-size=1100,900"));
    cmd.addAll(List.of(args));
    return Docker.run(cmd.toArray(String[]::new));
  }

  private static long bars(String dom, String stage) {
    Matcher m = BAR.matcher(dom);
    long n = 0;
    while (m.find()) {
      if (stage == null || m.group(1).equals(stage)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void analyzeHtmlRendersTheSeedTimeline() throws Exception {
    Path dir = Files.createTempDirectory("tw-html");
    Path html = dir.resolve("seed.html");
    Docker.Result r = Docker.run("bash", "-c", "java -jar " + Daemon.jar() + " analyze --format html "
        + "src/test/resources/logs/000-seed-triton-vllm-2.59-ready.log > " + html);
    assertEquals(0, r.code(), r.err());
    String page = Files.readString(html);
    // Links to documentation are fine; nothing may be fetched.
    assertTrue(!page.contains("<script") && !page.contains("src=") && !page.contains("<link")
        && !page.contains("url("), "self-contained: no scripts, nothing fetched");
    assertTrue(page.contains("data-diagnosis=\"cuda_compatibility_mode\""), "the diagnosis is on the page");
    Docker.Result dom = chromium(dir.resolve("profile"), "--dump-dom", html.toUri().toString());
    assertEquals(0, dom.code(), dom.err());
    assertEquals(12, bars(dom.out(), null), "one bar per stage reached, ready included");
    assertEquals(1, bars(dom.out(), "weight_loading"));
    Path png = dir.resolve("seed.png");
    Docker.Result shot = chromium(dir.resolve("profile2"), "--screenshot=" + png, html.toUri().toString());
    assertEquals(0, shot.code(), shot.err());
    assertTrue(Files.size(png) > 10_000, "a real picture was drawn: " + Files.size(png) + " bytes");
  }

  /**
   * A crash loop (007: three failed start-ups, a fourth loading) and a restarted log (001: a
   * failed start-up, then four that came up): every start-up is drawn with its stages, the
   * stage each failed one ended in is red, and the reason of the failure is on the page.
   */
  @Test
  void aCrashLoopAndARestartedLogShowEveryStartUpAndWhyItFailed() throws Exception {
    Path shots = Path.of("target", "screenshots");
    Files.createDirectories(shots);
    Path dir = Files.createTempDirectory("tw-html");
    record Case(String log, int startUps, int failed, String reason) {}
    for (Case c : List.of(
        new Case("007-python-stub-init-fail-compose-utf16", 4, 3,
            "RuntimeError: Failed to initialize real GLM model in strict mode"),
        new Case("001-trt-tensorrt-plan-fail-then-restarts", 5, 1, "unable to load plan file to auto complete config"))) {
      Path html = dir.resolve(c.log() + ".html");
      Docker.Result r = Docker.run("bash", "-c", "java -jar " + Daemon.jar() + " analyze --format html "
          + "src/test/resources/logs/" + c.log() + ".log > " + html);
      assertTrue(r.code() <= 2, r.err());
      Docker.Result dom = chromium(dir.resolve("profile-" + c.log()), "--dump-dom", html.toUri().toString());
      assertEquals(0, dom.code(), dom.err());
      String page = dom.out();
      assertEquals(c.startUps(), page.split("<tr data-outcome=", -1).length - 1, c.log() + ": a row per start-up");
      assertEquals(c.startUps(), page.split("<span class=\"mini\"", -1).length - 1, c.log() + ": stages of each");
      assertEquals(c.failed(), page.split("<tr data-outcome=\"failed\"", -1).length - 1, c.log());
      assertEquals(c.failed(), page.split("class=\"piece failed\"", -1).length - 1,
          c.log() + ": one red stage per failed start-up");
      assertTrue(page.contains(c.reason()), c.log() + ": the reason is shown");
      Path png = shots.resolve(c.log() + ".png");
      Docker.Result shot = chromium(dir.resolve("shot-" + c.log()), "--screenshot=" + png.toAbsolutePath(),
          html.toUri().toString());
      assertEquals(0, shot.code(), shot.err());
      assertTrue(Files.size(png) > 10_000, "a real picture was drawn: " + Files.size(png) + " bytes");
    }
  }

  @Test
  void daemonServesTheTimelineOfEveryContainer() throws Exception {
    Path dir = Files.createTempDirectory("tw-html");
    try (Daemon d = Daemon.startCommand(List.of("demo", "--listen", "127.0.0.1:0", "--speed", "50"))) {
      d.await("both demo containers past their first stages", Duration.ofSeconds(60), () -> d.get("/").body(),
          page -> page.split("<section class=\"startup\"", -1).length == 4 && bars(page, "memory_pools") >= 2);
      String url = "http://127.0.0.1:" + d.get("/").uri().getPort() + "/";
      Docker.Result dom = chromium(dir.resolve("profile"), "--dump-dom", url);
      assertEquals(0, dom.code(), dom.err());
      assertTrue(bars(dom.out(), null) >= 4, dom.out());
      assertTrue(dom.out().contains("demo-triton-vllm") && dom.out().contains("demo-triton-python"));
      Path png = dir.resolve("daemon.png");
      assertEquals(0, chromium(dir.resolve("profile2"), "--screenshot=" + png, url).code());
      assertTrue(Files.size(png) > 10_000);
    }
  }
}
