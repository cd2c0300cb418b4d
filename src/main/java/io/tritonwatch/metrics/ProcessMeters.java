package io.tritonwatch.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process series every Prometheus exporter has, in their standard names:
 * {@code process_start_time_seconds}, {@code process_cpu_seconds_total},
 * {@code process_resident_memory_bytes}, {@code process_open_fds}, {@code process_max_fds}.
 * (Micrometer's own processor binder uses other names, which promtool's lint refuses.)
 */
final class ProcessMeters {

  private static final long PAGE = 4096;

  private ProcessMeters() {}

  static void bindTo(MeterRegistry registry) {
    Gauge.builder("process.start.time", () -> ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0)
        .baseUnit("seconds").description("Start time of the process since the Unix epoch").register(registry);
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      FunctionCounter.builder("process.cpu", sun, b -> b.getProcessCpuTime() / 1e9)
          .baseUnit("seconds").description("User and system CPU time spent").register(registry);
    }
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      Gauge.builder("process.open.fds", unix, com.sun.management.UnixOperatingSystemMXBean::getOpenFileDescriptorCount)
          .description("Open file descriptors").register(registry);
      Gauge.builder("process.max.fds", unix, com.sun.management.UnixOperatingSystemMXBean::getMaxFileDescriptorCount)
          .description("Most file descriptors the process may open").register(registry);
    }
    if (Files.isReadable(Path.of("/proc/self/statm"))) {
      Gauge.builder("process.resident.memory", ProcessMeters::residentBytes)
          .baseUnit("bytes").description("Resident memory size").register(registry);
    }
  }

  /** The second field of /proc/self/statm: resident pages. */
  private static double residentBytes() {
    try {
      String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
      return Long.parseLong(f[1]) * PAGE;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
