package io.tritonwatch.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import io.tritonwatch.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The HTTPS side of a web config: the SSLContext and what each connection is offered. */
final class TlsContext {
  private TlsContext() {}

  static HttpsConfigurator configurator(TlsSettings s) throws ConfigException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new ReloadingKeyManager[] {ReloadingKeyManager.of(s)}, trust(s), null);
      SSLParameters base = ctx.getDefaultSSLParameters();
      String[] protocols = protocols(base.getProtocols(), s);
      String[] suites = suites(ctx.getSupportedSSLParameters().getCipherSuites(), base.getCipherSuites(), s);
      return new HttpsConfigurator(ctx) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters p = getSSLContext().getDefaultSSLParameters();
          p.setProtocols(protocols);
          p.setCipherSuites(suites);
          p.setUseCipherSuitesOrder(s.preferServerCipherSuites());
          if (s.clientAuth().requires) {
            p.setNeedClientAuth(true);
          } else if (s.clientAuth().asks) {
            p.setWantClientAuth(true);
          }
          params.setSSLParameters(p);
        }
      };
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new ConfigException("tls_server_config", "cannot set up TLS: " + e.getMessage());
    }
  }

  private static String[] protocols(String[] enabled, TlsSettings s) throws ConfigException {
    int lo = s.minVersion() == null ? 0 : TlsSettings.ORDER.indexOf(s.minVersion());
    int hi = s.maxVersion() == null ? TlsSettings.ORDER.size() - 1 : TlsSettings.ORDER.indexOf(s.maxVersion());
    List<String> out = new ArrayList<>();
    for (String p : enabled) {
      int i = TlsSettings.ORDER.indexOf(p);
      if (i >= lo && i <= hi) {
        out.add(p);
      }
    }
    if (out.isEmpty()) {
      // Java disables TLS 1.0 and 1.1 in java.security; a range of only those leaves nothing.
      throw new ConfigException("tls_server_config.min_version", "no protocol this JVM allows is in the range "
          + "(allowed here: " + String.join(", ", enabled) + ")");
    }
    return out.toArray(String[]::new);
  }

  /**
   * The configured TLS 1.2 suites, in Go's names or Java's (Go drops the _SHA256 of the
   * ChaCha20 suites), plus every enabled TLS 1.3 suite: as in Go, the list does not touch 1.3.
   */
  private static String[] suites(String[] supported, String[] enabled, TlsSettings s) throws ConfigException {
    if (s.cipherSuites().isEmpty()) {
      return enabled;
    }
    Set<String> known = Set.of(supported);
    Set<String> out = new LinkedHashSet<>();
    for (String name : s.cipherSuites()) {
      String java = known.contains(name) ? name : known.contains(name + "_SHA256") ? name + "_SHA256" : null;
      if (java == null) {
        throw new ConfigException("tls_server_config.cipher_suites", "'" + name + "' is not a suite this JVM knows");
      }
      out.add(java);
    }
    for (String e : enabled) {
      if (e.startsWith("TLS_AES_") || e.startsWith("TLS_CHACHA20_")) {
        out.add(e);
      }
    }
    return out.toArray(String[]::new);
  }

  private static TrustManager[] trust(TlsSettings s) throws Exception {
    if (!s.clientAuth().asks) {
      return null;
    }
    X509TrustManager inner;
    if (s.clientAuth().verifies) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      byte[] pem = s.clientCaFile() != null ? Files.readAllBytes(s.clientCaFile())
          : s.clientCaPem().getBytes(StandardCharsets.US_ASCII);
      int n = 0;
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
        ks.setCertificateEntry("ca" + n++, c);
      }
      if (n == 0) {
        throw new ConfigException("tls_server_config.client_ca_file", "no certificate in it");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      inner = (X509TrustManager) tmf.getTrustManagers()[0];
    } else {
      inner = null; // RequestClientCert, RequireAnyClientCert: any certificate, unverified, as Go does
    }
    return new TrustManager[] {new ClientCertCheck(inner, s.allowedSans())};
  }

  /** Verifies a client's chain (when a CA is set) and, if asked, that it names an allowed SAN. */
  private record ClientCertCheck(X509TrustManager inner, List<String> allowedSans) implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      if (inner != null) {
        inner.checkClientTrusted(chain, authType);
      }
      if (allowedSans.isEmpty()) {
        return;
      }
      var names = chain[0].getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> n : names) {
          if (n.size() >= 2 && allowedSans.contains(String.valueOf(n.get(1)))) {
            return;
          }
        }
      }
      throw new java.security.cert.CertificateException("the client certificate names none of client_allowed_sans");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("a server endpoint checks no server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return inner == null ? new X509Certificate[0] : Arrays.copyOf(inner.getAcceptedIssuers(),
          inner.getAcceptedIssuers().length);
    }
  }
}
