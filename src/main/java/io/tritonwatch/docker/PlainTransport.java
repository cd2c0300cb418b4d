package io.tritonwatch.docker;

import com.github.dockerjava.transport.SSLConfig;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS setting for an engine reached on a unix socket. Given no TLS setting, docker-java's
 * client builds the JDK's default TLS context anyway: it reads the system's trust store and
 * loads the JSSE provider, memory held for good by a daemon that never opens a TLS connection.
 * This context is never initialised and refuses if anything uses it. Not for an engine on a
 * TCP port: there the client takes any context as a request for HTTPS.
 */
final class PlainTransport {

  private PlainTransport() {}

  static final SSLConfig NO_TLS = () -> new SSLContext(new Refusing(), null, "none") {};

  private static final class Refusing extends SSLContextSpi {

    private static UnsupportedOperationException refused() {
      return new UnsupportedOperationException("TLS is not used for this Docker engine (no TLS is configured)");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
      throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }
  }
}
