package io.tritonwatch.stage;

/** An endpoint the server opened: kind is "grpc", "http" or "metrics". */
public record Service(String kind, String address, int port) {}
