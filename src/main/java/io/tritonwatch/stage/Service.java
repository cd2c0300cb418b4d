package io.tritonwatch.stage;

import java.util.Objects;

/** An endpoint the server opened: kind is "grpc", "http" or "metrics". */
public record Service(String kind, String address, int port) {
  // Written out: a record's generated equals and hashCode are linked at their first call by
  // generating method-handle classes, a noticeable part of a short analyze run.
  @Override
  public boolean equals(Object o) {
    return o instanceof Service s && port == s.port && kind.equals(s.kind)
        && Objects.equals(address, s.address);
  }

  @Override
  public int hashCode() {
    return (kind.hashCode() * 31 + Objects.hashCode(address)) * 31 + port;
  }
}
