package io.tritonwatch.watch;

import java.time.Instant;
import java.util.Map;

/** What Docker says of a container, as plain values. */
public record ContainerInfo(String id, String name, String image, Map<String, String> labels,
                            boolean tty, boolean running, Instant startedAt, Integer restartCount,
                            Long exitCode) {}
