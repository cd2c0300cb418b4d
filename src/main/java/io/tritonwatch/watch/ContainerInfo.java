package io.tritonwatch.watch;

import java.time.Instant;
import java.util.Map;

/**
 * What Docker says of a container, as plain values.
 *
 * @param finishedAt when the previous run of the container ended, or null if it never did
 */
public record ContainerInfo(String id, String name, String image, Map<String, String> labels,
                            boolean tty, boolean running, Instant startedAt, Instant finishedAt,
                            Integer restartCount, Long exitCode) {}
