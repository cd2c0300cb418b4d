package io.tritonwatch.http;

import io.tritonwatch.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** An SSLContext from PEM files, as the web config names them. */
final class TlsContext {
  private TlsContext() {}

  static SSLContext fromPem(Path certFile, Path keyFile) throws ConfigException {
    try {
      Collection<? extends Certificate> chain;
      try (var in = Files.newInputStream(certFile)) {
        chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (chain.isEmpty()) {
        throw new ConfigException("tls_server_config.cert_file", "no certificate in " + certFile);
      }
      PrivateKey key = key(keyFile);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] pass = new char[0];
      ks.setKeyEntry("tritonwatch", key, pass, chain.toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pass);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new ConfigException("tls_server_config", "cannot use " + certFile + " / " + keyFile + ": " + e.getMessage());
    }
  }

  private static PrivateKey key(Path keyFile) throws Exception {
    String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
    if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new ConfigException("tls_server_config.key_file",
          keyFile + " is not a PKCS#8 PEM key (convert with: openssl pkcs8 -topk8 -nocrypt -in KEY)");
    }
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(b64);
    for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (java.security.spec.InvalidKeySpecException tryNext) {
        // the PEM does not say which algorithm; try the next
      }
    }
    throw new ConfigException("tls_server_config.key_file", keyFile + ": not an RSA, EC or Ed25519 key");
  }
}
