package dev.conductor.tls;

import dev.conductor.home.ConductorHome;
import dev.conductor.home.InvalidSettingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP server's TLS key store, made at start-up in {@code <home>/tls} (owner only): from the
 * configured PEM certificate chain and key, or a self-signed certificate generated once and reused.
 * Micronaut is then given a PKCS#12 key store, the one format every Micronaut 4 release reads.
 */
public final class ServerCertificate {
  public static final String CERT_SETTING = "conductor.tls.cert (CONDUCTOR_TLS_CERT)";
  public static final String KEY_SETTING = "conductor.tls.key (CONDUCTOR_TLS_KEY)";
  public static final String SELF_SIGNED_SETTING =
      "conductor.tls.self-signed (CONDUCTOR_TLS_SELF_SIGNED)";

  /** The self-signed certificate, PEM: the CA file a CLI on this machine trusts. */
  public static final String SELF_SIGNED_CERT = "tls/self-signed.pem";

  private static final String ALIAS = "conductor";
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final Set<String> ANY_INTERFACE = Set.of("0.0.0.0", "::", "[::]", "");

  private final Path keyStore;
  private final String password;
  private final X509Certificate certificate;

  private ServerCertificate(Path keyStore, String password, X509Certificate certificate) {
    this.keyStore = keyStore;
    this.password = password;
    this.certificate = certificate;
  }

  /**
   * The key store the settings call for. {@code cert} and {@code key} are paths (both or neither);
   * {@code selfSigned} is used when they are not set.
   *
   * @throws InvalidSettingException naming the setting when a file is missing, unreadable or the
   *     key does not belong to the certificate
   */
  public static ServerCertificate prepare(
      ConductorHome home, String cert, String key, boolean selfSigned, String host) {
    Path folder = home.resolve("tls");
    try {
      Files.createDirectories(folder);
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make " + folder, e);
    }
    String password = home.secret("tls-keystore-password");
    if (!cert.isBlank() || !key.isBlank()) {
      return configured(folder.resolve("server.p12"), password, cert.strip(), key.strip());
    }
    if (!selfSigned) {
      throw new IllegalArgumentException("no TLS settings");
    }
    return selfSigned(folder, password, host);
  }

  /** Whether these settings turn TLS on. */
  public static boolean wanted(String cert, String key, boolean selfSigned) {
    return selfSigned || !cert.isBlank() || !key.isBlank();
  }

  private static ServerCertificate configured(
      Path target, String password, String certPath, String keyPath) {
    if (certPath.isBlank()) {
      throw new InvalidSettingException(
          CERT_SETTING + " is not set but " + KEY_SETTING + " is: set both");
    }
    if (keyPath.isBlank()) {
      throw new InvalidSettingException(
          KEY_SETTING + " is not set but " + CERT_SETTING + " is: set both");
    }
    List<X509Certificate> chain = readChain(Path.of(certPath));
    PrivateKey key = readKey(Path.of(keyPath));
    if (!belongTogether(key, chain.get(0))) {
      throw new InvalidSettingException(
          KEY_SETTING
              + " is not the private key of the first certificate in "
              + CERT_SETTING
              + ": set the matching pair");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(new Certificate[0]));
      write(store, target, password);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot store the TLS key store " + target, e);
    }
    return new ServerCertificate(target, password, chain.get(0));
  }

  private static List<X509Certificate> readChain(Path file) {
    byte[] pem = readable(file, CERT_SETTING);
    try {
      Collection<? extends Certificate> read =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem));
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : read) {
        chain.add((X509Certificate) certificate);
      }
      if (chain.isEmpty()) {
        throw new CertificateException("no certificate");
      }
      return chain;
    } catch (CertificateException e) {
      throw new InvalidSettingException(
          CERT_SETTING + ": " + file + " holds no PEM certificate: set a PEM certificate chain");
    }
  }

  private static PrivateKey readKey(Path file) {
    String pem = new String(readable(file, KEY_SETTING), StandardCharsets.US_ASCII);
    Matcher matcher = PRIVATE_KEY.matcher(pem);
    // The message never quotes the file: it is key material.
    if (!matcher.find()) {
      throw new InvalidSettingException(
          KEY_SETTING
              + ": "
              + file
              + " holds no unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY): convert it with"
              + " 'openssl pkcs8 -topk8 -nocrypt'");
    }
    byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisAlgorithm) {
        // Try the next: PKCS#8 names its algorithm only by object identifier.
      }
    }
    throw new InvalidSettingException(
        KEY_SETTING + ": " + file + " holds no RSA, EC or EdDSA key this server can read");
  }

  private static byte[] readable(Path file, String setting) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidSettingException(setting + ": " + file + " is not a file: set a PEM file");
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InvalidSettingException(
          setting + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The key signs, the certificate's public key verifies: they are a pair. */
  private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Generated by the running JDK's keytool rather than BouncyCastle: no new dependency in the
   * server and the certificate API of the JDK itself, which has no public X.509 builder.
   */
  private static ServerCertificate selfSigned(Path folder, String password, String host) {
    Path store = folder.resolve("self-signed.p12");
    Path pem = folder.resolve("self-signed.pem");
    if (Files.isRegularFile(store) && Files.isRegularFile(pem)) {
      try {
        X509Certificate reused = load(store, password);
        reused.checkValidity();
        return new ServerCertificate(store, password, reused);
      } catch (GeneralSecurityException | IOException e) {
        // Expired, or its password was lost: generate a new one below.
      }
    }
    try {
      Files.deleteIfExists(store);
      String san = "dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1";
      if (!ANY_INTERFACE.contains(host.strip()) && !host.equals("localhost")) {
        san += (host.matches("[0-9.]+|.*:.*") ? ",ip:" : ",dns:") + host.replaceAll("[\\[\\]]", "");
      }
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      ProcessBuilder builder =
          new ProcessBuilder(
                  keytool.toString(),
                  "-genkeypair",
                  "-alias",
                  ALIAS,
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-sigalg",
                  "SHA256withECDSA",
                  "-validity",
                  "825",
                  "-dname",
                  "CN=localhost,O=Conductor self-signed",
                  "-ext",
                  "san=" + san,
                  "-keystore",
                  store.toString(),
                  "-storetype",
                  "PKCS12",
                  // From the environment, not the command line that any user can list.
                  "-storepass:env",
                  "CONDUCTOR_TLS_STOREPASS")
              .redirectErrorStream(true);
      builder.environment().put("CONDUCTOR_TLS_STOREPASS", password);
      Process keytoolRun = builder.start();
      String output =
          new String(keytoolRun.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!keytoolRun.waitFor(60, TimeUnit.SECONDS) || keytoolRun.exitValue() != 0) {
        throw new IllegalStateException("keytool could not make a certificate: " + output.strip());
      }
      X509Certificate made = load(store, password);
      String encoded =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(made.getEncoded())
              + "\n-----END CERTIFICATE-----\n";
      Files.writeString(pem, encoded, StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rw-------"));
      Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("rw-------"));
      return new ServerCertificate(store, password, made);
    } catch (IOException e) {
      throw new InvalidSettingException(
          SELF_SIGNED_SETTING + ": cannot run the JDK's keytool (" + e.getMessage() + ")");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the generated certificate " + store, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating a certificate", e);
    }
  }

  private static X509Certificate load(Path store, String password)
      throws IOException, GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, password.toCharArray());
    }
    Certificate certificate = keys.getCertificate(ALIAS);
    if (!(certificate instanceof X509Certificate x509)) {
      throw new GeneralSecurityException("no certificate under " + ALIAS);
    }
    return x509;
  }

  private static void write(KeyStore store, Path target, String password)
      throws IOException, GeneralSecurityException {
    Path temp = Files.createTempFile(target.getParent(), "server", ".tmp");
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    try (OutputStream out = Files.newOutputStream(temp)) {
      store.store(out, password.toCharArray());
    }
    Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** The micronaut.server.ssl.* settings that serve HTTPS on {@code port} with this key store. */
  public Map<String, Object> serverSettings(int port) {
    return Map.of(
        "micronaut.server.ssl.enabled",
        true,
        "micronaut.server.ssl.build-self-signed",
        false,
        "micronaut.server.ssl.port",
        port,
        "micronaut.server.ssl.key-store.path",
        "file:" + keyStore,
        "micronaut.server.ssl.key-store.type",
        "PKCS12",
        "micronaut.server.ssl.key-store.password",
        password,
        "micronaut.server.ssl.key.alias",
        ALIAS,
        "micronaut.server.ssl.key.password",
        password);
  }

  /** SHA-256 of the certificate, colon-separated hex as browsers and openssl show it. */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String subject() {
    return certificate.getSubjectX500Principal().getName();
  }
}
