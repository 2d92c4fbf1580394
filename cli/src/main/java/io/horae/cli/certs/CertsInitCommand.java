package io.horae.cli.certs;

import io.horae.server.config.ConfigException;
import io.horae.server.config.ConfigLoader;
import io.horae.server.config.PeerConfig;
import io.horae.server.tls.CertIssuer;
import io.horae.server.tls.ClusterCerts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code horae certs init --dir D --config node1.properties}: a cluster CA, a certificate for every
 * peer of the config (or of {@code --node}) and the admin client certificate, all files 0600. A
 * second run reuses the CA and adds what is missing; {@code --force} reissues every leaf. {@code
 * --new-ca} and {@code --drop-old-cas} rotate the CA itself (docs/security.md, "Rotating the CA").
 */
@Command(
    name = "init",
    description =
        "Make a cluster CA (unless DIR has one), node certificates and an admin client certificate in DIR.")
final class CertsInitCommand implements Callable<Integer> {
  static final int VALIDITY_DAYS_MAX = 3650;

  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DIR",
      description = "Directory of the CA and certificates (created if missing).")
  Path dir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A node config: one certificate per peer in it, naming the peer's hosts.")
  Path config;

  @Option(
      names = "--node",
      paramLabel = "ID=HOST[,HOST...]",
      description = "A node and the host names or IPs it is reached at; repeatable.")
  List<String> nodes = new ArrayList<>();

  @Option(
      names = "--days",
      defaultValue = "825",
      description = "Validity of node and client certificates in days (default ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--force",
      description = "Reissue existing node and client certificates (rotation); the CA is kept.")
  boolean force;

  @Option(
      names = "--new-ca",
      description =
          "Start a CA rotation: a new CA (its key replaces ca-key.pem), ca.pem becomes the bundle {new, old}, and the nodes named by --config"
              + " or --node and the admin get certificates of the new CA. Name every node.")
  boolean newCa;

  @Option(
      names = "--drop-old-cas",
      description =
          "End a CA rotation: ca.pem keeps only the new CA; refused while a certificate in DIR is of an old one.")
  boolean dropOldCas;

  @Override
  public Integer call() throws Exception {
    if (days < 1 || days > VALIDITY_DAYS_MAX) {
      throw new ParameterException(
          spec.commandLine(),
          "--days must be between 1 and " + VALIDITY_DAYS_MAX + ", got " + days);
    }
    Map<String, List<String>> hosts = new LinkedHashMap<>();
    if (config != null) {
      try {
        for (PeerConfig peer : ConfigLoader.load(config).peers()) {
          hosts.put(peer.id(), ClusterCerts.hosts(peer));
        }
      } catch (ConfigException e) {
        throw new ParameterException(
            spec.commandLine(), "--config " + config + ":\n" + e.getMessage(), e);
      }
    }
    for (String node : nodes) {
      int eq = node.indexOf('=');
      if (eq <= 0 || eq == node.length() - 1) {
        throw new ParameterException(
            spec.commandLine(), "--node must be ID=HOST[,HOST...], got " + node);
      }
      hosts.put(node.substring(0, eq), List.of(node.substring(eq + 1).split(",")));
    }
    if (newCa && dropOldCas) {
      throw new ParameterException(
          spec.commandLine(),
          "--new-ca and --drop-old-cas are two steps of a rotation, with rolling restarts between them; give one");
    }
    if (newCa && hosts.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "--new-ca needs --config or --node naming every node: each gets a certificate of the new CA");
    }
    ClusterCerts certs = new ClusterCerts(dir);
    CertIssuer issuer = new CertIssuer(new SecureRandom(), Clock.systemUTC());
    List<Path> written =
        newCa
            ? certs.rotateCa(issuer, hosts, Duration.ofDays(days))
            : dropOldCas
                ? certs.dropOldCas()
                : certs.init(issuer, hosts, force, Duration.ofDays(days));
    PrintWriter out = spec.commandLine().getOut();
    for (Path p : written) {
      out.println("wrote " + p);
    }
    if (written.isEmpty()) {
      out.println("nothing to do: every certificate exists in " + dir + " (--force reissues them)");
    }
    out.flush();
    return 0;
  }
}
