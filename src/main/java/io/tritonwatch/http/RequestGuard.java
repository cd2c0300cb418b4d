package io.tritonwatch.http;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;

/**
 * What every request passes before a handler runs: method, size and rate limits, and basic
 * authentication against bcrypt hashes. Answers with a status code, never a stack trace.
 *
 * <p>The rate limit is per client address, so a flood from one address does not push another
 * out; and a client whose credentials were verified is not limited at all, so anonymous or
 * wrong-password traffic, even from the scraper's own address, never costs it a scrape. What
 * is limited is the expensive part: a bcrypt check for credentials not seen before.
 */
final class RequestGuard {

  static final int MAX_URI = 2048;
  private final double ratePerSecond;
  private final double burst;
  private static final long AUTH_CACHE_NANOS = 60_000_000_000L;

  private final Map<String, String> users;
  private final String decoy;
  /**
   * Every bcrypt version htpasswd and the exporters write ($2a$, $2b$, $2y$); a password over
   * bcrypt's 72 bytes is cut there, as htpasswd did when it made the hash.
   */
  private static final BCrypt.Verifyer VERIFIER =
      BCrypt.verifyer(BCrypt.Version.VERSION_2A, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));
  private final Map<String, Long> verified = new ConcurrentHashMap<>();
  /** Buckets by client address; bounded, since addresses are what a flood can make up. */
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  static final int MAX_CLIENTS = 10_000;

  /** @param ratePerSecond sustained requests a second; bursts of twice that pass */
  RequestGuard(Map<String, String> users, double ratePerSecond) {
    this.users = users;
    int cost = 4;
    for (String h : users.values()) {
      cost = Math.max(cost, Integer.parseInt(h.substring(h.indexOf('$', 1) + 1, h.indexOf('$', 1) + 3)));
    }
    this.decoy = users.isEmpty() ? null
        : BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(cost, "not a password anyone has".toCharArray());
    this.ratePerSecond = ratePerSecond;
    this.burst = Math.max(1, 2 * ratePerSecond);
  }

  /** @return 0 to go on, or the status to answer with */
  int check(HttpExchange ex) {
    String method = ex.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return 405;
    }
    if (ex.getRequestURI().toString().length() > MAX_URI) {
      return 414;
    }
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if ((length != null && !length.equals("0")) || ex.getRequestHeaders().containsKey("Transfer-Encoding")) {
      return 413;
    }
    String client = ex.getRemoteAddress() == null || ex.getRemoteAddress().getAddress() == null ? ""
        : ex.getRemoteAddress().getAddress().getHostAddress();
    if (users.isEmpty()) {
      return take(client) ? 0 : 429;
    }
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (verifiedBefore(header)) {
      return 0;
    }
    if (!take(client)) {
      return 429;
    }
    return authorised(header) ? 0 : 401;
  }

  private boolean take(String client) {
    Bucket b = buckets.get(client);
    if (b == null) {
      if (buckets.size() >= MAX_CLIENTS) {
        buckets.clear(); // made-up addresses by the thousand: start over rather than grow
      }
      b = buckets.computeIfAbsent(client, k -> new Bucket(burst));
    }
    return b.take(ratePerSecond, burst);
  }

  /** A token bucket: bursts of {@code burst}, refilled at the sustained rate. */
  private static final class Bucket {
    private double tokens;
    private long last = System.nanoTime();

    Bucket(double burst) {
      this.tokens = burst;
    }

    synchronized boolean take(double rate, double burst) {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }

  /** Credentials that passed bcrypt within the cache time: no limit, no bcrypt. */
  private boolean verifiedBefore(String header) {
    String decoded = decode(header);
    if (decoded == null) {
      return false;
    }
    Long until = verified.get(digest(decoded));
    return until != null && until - System.nanoTime() > 0;
  }

  private static String decode(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private boolean authorised(String header) {
    String decoded = decode(header);
    if (decoded == null) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String user = decoded.substring(0, colon);
    String hash = users.get(user);
    boolean known = hash != null;
    if (!known) {
      // Checked against a decoy at the highest cost in use: an unknown user takes as long to
      // refuse as a wrong password, so timing does not tell which user names exist.
      hash = decoy;
    }
    // bcrypt costs ~0.1 s by design; a scraper that keeps its password is not made to pay it
    // on every scrape. The cache holds a digest, never the password.
    String key = digest(decoded);
    Long until = verified.get(key);
    long now = System.nanoTime();
    if (until != null && until - now > 0) {
      return true;
    }
    boolean ok;
    try {
      ok = VERIFIER.verify(decoded.substring(colon + 1).toCharArray(), hash.toCharArray()).verified && known;
    } catch (IllegalArgumentException e) {
      ok = false;
    }
    if (ok) {
      if (verified.size() > 1000) {
        verified.clear();
      }
      verified.put(key, now + AUTH_CACHE_NANOS);
    }
    return ok;
  }

  private static String digest(String s) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
