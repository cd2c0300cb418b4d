package io.tritonwatch.config;

/** A configuration value that cannot be used; the message names the key and the reason. */
public final class ConfigException extends Exception {
  public ConfigException(String key, String reason) {
    super(key + ": " + reason);
  }

  public ConfigException(String message) {
    super(message);
  }
}
