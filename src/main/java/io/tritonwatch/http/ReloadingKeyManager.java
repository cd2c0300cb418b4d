package io.tritonwatch.http;

import io.tritonwatch.config.ConfigException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's certificate and key, read again when their files change: certificates are
 * renewed on disk (cert-manager, ACME clients) and an exporter is expected to serve the new one
 * without a restart, as exporter-toolkit does. Looked at no more than once a second, at a
 * handshake; a pair that cannot be read (half written, key and certificate apart) keeps the
 * previous one in service and is logged once.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReloadingKeyManager.class);
  private static final long LOOK_EVERY_NANOS = 1_000_000_000L;

  /** One generation of the pair; its alias names the generation, so a handshake keeps its own. */
  private record Pair(String alias, X509ExtendedKeyManager keys, String stamp) {}

  private final TlsSettings settings;
  private volatile Pair current;
  private volatile Pair previous;
  private long lookedAt;
  private String failedStamp;
  private int generation;

  private ReloadingKeyManager(TlsSettings settings) {
    this.settings = settings;
  }

  static ReloadingKeyManager of(TlsSettings s) throws ConfigException {
    ReloadingKeyManager m = new ReloadingKeyManager(s);
    m.current = m.load(m.stamp());
    m.lookedAt = System.nanoTime();
    return m;
  }

  /** The files' sizes and modification times: what changes when either is replaced. */
  private String stamp() {
    if (settings.certFile() == null) {
      return "inline";
    }
    StringBuilder b = new StringBuilder();
    for (Path p : new Path[] {settings.certFile(), settings.keyFile()}) {
      try {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        b.append(a.lastModifiedTime().toMillis()).append('/').append(a.size()).append('/').append(a.fileKey()).append(';');
      } catch (java.io.IOException e) {
        b.append("unreadable;");
      }
    }
    return b.toString();
  }

  private Pair fresh() {
    if (settings.certFile() == null) {
      return current;
    }
    synchronized (this) {
      long now = System.nanoTime();
      if (now - lookedAt < LOOK_EVERY_NANOS) {
        return current;
      }
      lookedAt = now;
      String stamp = stamp();
      if (stamp.equals(current.stamp()) || stamp.equals(failedStamp)) {
        return current;
      }
      try {
        Pair next = load(stamp);
        previous = current;
        current = next;
        failedStamp = null;
        LOG.info("TLS certificate {} read again: it changed on disk", settings.certFile());
      } catch (ConfigException e) {
        failedStamp = stamp;
        LOG.warn("TLS certificate or key changed but cannot be used ({}); serving the previous one", e.getMessage());
      }
      return current;
    }
  }

  private Pair load(String stamp) throws ConfigException {
    String where = settings.certFile() != null ? settings.certFile() + " / " + settings.keyFile() : "the inline cert / key";
    try {
      byte[] certPem = settings.certFile() != null ? Files.readAllBytes(settings.certFile())
          : settings.certPem().getBytes(StandardCharsets.US_ASCII);
      Collection<? extends Certificate> chain =
          CertificateFactory.getInstance("X.509").generateCertificates(new java.io.ByteArrayInputStream(certPem));
      if (chain.isEmpty()) {
        throw new ConfigException("tls_server_config.cert_file", "no certificate in " + where);
      }
      PrivateKey key = key(settings.keyFile() != null ? Files.readString(settings.keyFile(), StandardCharsets.US_ASCII)
          : settings.keyPem());
      if (!pairs(key, ((X509Certificate) chain.iterator().next()).getPublicKey())) {
        throw new ConfigException("tls_server_config.key_file", "the key is not the certificate's (" + where + ")");
      }
      String alias = "tritonwatch-" + (++generation);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] pass = new char[0];
      ks.setKeyEntry(alias, key, pass, chain.toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
      kmf.init(ks, pass);
      return new Pair(alias, (X509ExtendedKeyManager) kmf.getKeyManagers()[0], stamp);
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new ConfigException("tls_server_config", "cannot use " + where + ": " + e.getMessage());
    }
  }

  /**
   * Whether the key signs what the certificate's public key verifies: a renewal caught between
   * its two files would otherwise fail every handshake with the client's "invalid signature".
   */
  private static boolean pairs(PrivateKey key, java.security.PublicKey pub) {
    String alg = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> "Ed25519";
    };
    try {
      byte[] probe = "tritonwatch".getBytes(StandardCharsets.US_ASCII);
      java.security.Signature sign = java.security.Signature.getInstance(alg);
      sign.initSign(key);
      sign.update(probe);
      byte[] sig = sign.sign();
      java.security.Signature verify = java.security.Signature.getInstance(alg);
      verify.initVerify(pub);
      verify.update(probe);
      return verify.verify(sig);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static PrivateKey key(String pem) throws Exception {
    if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new ConfigException("tls_server_config.key_file",
          "not a PKCS#8 PEM key (convert with: openssl pkcs8 -topk8 -nocrypt -in KEY)");
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
    throw new ConfigException("tls_server_config.key_file", "not an RSA, EC or Ed25519 key");
  }

  private X509ExtendedKeyManager keysOf(String alias) {
    Pair c = current;
    if (c.alias().equals(alias)) {
      return c.keys();
    }
    Pair p = previous;
    return p != null && p.alias().equals(alias) ? p.keys() : c.keys();
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return fresh().keys().chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return fresh().keys().chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return current.keys().getServerAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return keysOf(alias).getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return keysOf(alias).getPrivateKey(alias);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
