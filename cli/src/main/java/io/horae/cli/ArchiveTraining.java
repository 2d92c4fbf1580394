package io.horae.cli;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.StreamObserver;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.JobState;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListJobsResponse;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.server.tls.ClusterCerts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The training run of the class-data archive that makes client commands start fast
 * (bin/lib/cds.sh): runs client commands in this JVM so that the classes they load are archived.
 * Needs no cluster: the calls go to a stand-in JobService on a loopback port with TLS and a client
 * certificate, as a node's API port, so the handshake, HTTP/2 and the reply's rendering are in the
 * archive too. The certificates are made in a temp directory and deleted. Output is thrown away.
 */
public final class ArchiveTraining {
  private ArchiveTraining() {}

  public static void main(String[] args) throws Exception {
    train(new StringWriter());
    System.exit(0);
  }

  /**
   * Runs the training commands; what they print to stdout goes to {@code out}.
   *
   * @return each command's exit code, in order
   */
  static List<Integer> train(StringWriter out) throws Exception {
    Path dir = Files.createTempDirectory("horae-cds-training");
    List<Integer> codes = new ArrayList<>();
    try {
      ClusterCerts certs = ClusterCerts.loopback(dir, List.of("n1"));
      Server server = standIn(certs);
      try {
        List<String> common =
            List.of(
                "--horaeconfig=" + dir.resolve("no-context-file"),
                "--endpoints",
                "127.0.0.1:" + server.getPort(),
                "--ca",
                certs.caCert().toString(),
                "--cert",
                certs.cert(ClusterCerts.ADMIN).toString(),
                "--key",
                certs.key(ClusterCerts.ADMIN).toString(),
                "--timeout",
                "10s");
        codes.add(run(out, "--help"));
        codes.add(run(out, "job", "ls", "--help"));
        codes.add(run(out, with(common, "job", "ls")));
        codes.add(run(out, with(common, "job", "ls", "-o", "json")));
      } finally {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      io.horae.statemachine.storage.StoreFiles.deleteTree(dir);
    }
    return codes;
  }

  private static String[] with(List<String> common, String... command) {
    List<String> all = new ArrayList<>(common);
    all.addAll(List.of(command));
    return all.toArray(String[]::new);
  }

  private static int run(StringWriter out, String... args) {
    return HoraeCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args);
  }

  /** A JobService that lists one job, behind TLS that asks for a client certificate. */
  private static Server standIn(ClusterCerts certs) throws IOException {
    JobServiceGrpc.JobServiceImplBase jobs =
        new JobServiceGrpc.JobServiceImplBase() {
          @Override
          public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> reply) {
            Job job =
                Job.newBuilder()
                    .setNamespace("default")
                    .setName("training")
                    .setState(JobState.JOB_STATE_ACTIVE)
                    .setSchedule(Schedule.newBuilder().setAtMs(4_102_444_800_000L))
                    .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:1/hook"))
                    .build();
            reply.onNext(ListJobsResponse.newBuilder().addJobs(job).build());
            reply.onCompleted();
          }
        };
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(
            GrpcSslContexts.forServer(certs.cert("n1").toFile(), certs.key("n1").toFile())
                .trustManager(certs.caCert().toFile())
                .clientAuth(ClientAuth.OPTIONAL)
                .build())
        .addService(jobs)
        .build()
        .start();
  }
}
