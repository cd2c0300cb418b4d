package io.tritonwatch.stage;

import java.time.Instant;

/**
 * A model's last failure, kept across restarts of its server until the model is next READY: in
 * a crash loop every new start-up begins LOADING again, and without this the reason would live
 * only until then.
 *
 * @param at when the start-up that failed it ended (its start if it never did)
 * @param startup the failing start-up's number in the stream, from 1
 */
public record RememberedFailure(String model, String version, String reason, String errorClass, Instant at,
                                int startup) {}
