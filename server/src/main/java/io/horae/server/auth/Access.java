package io.horae.server.auth;

import io.grpc.MethodDescriptor;
import io.horae.api.v1.CancelExecutionRequest;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.CreateJobsRequest;
import io.horae.api.v1.DeadLetterFilter;
import io.horae.api.v1.DeadLetterServiceGrpc;
import io.horae.api.v1.DeleteJobRequest;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.GetDeadLetterRequest;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.ListDeadLettersRequest;
import io.horae.api.v1.ListExecutionsRequest;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListSigningSecretsRequest;
import io.horae.api.v1.PauseJobRequest;
import io.horae.api.v1.PreviewScheduleRequest;
import io.horae.api.v1.PurgeDeadLettersRequest;
import io.horae.api.v1.ReplayDeadLettersRequest;
import io.horae.api.v1.ResumeJobRequest;
import io.horae.api.v1.RotateSigningSecretRequest;
import io.horae.api.v1.SecretServiceGrpc;
import io.horae.api.v1.TriggerJobRequest;
import io.horae.api.v1.UpdateJobRequest;
import io.horae.api.v1.WatchExecutionsRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Who may call what (docs/security.md "Roles"): one rule per public RPC. A method with no rule is
 * refused (fail closed), and a test checks that every method of every public service has one, so a
 * new RPC cannot ship open by accident.
 */
public final class Access {
  /** Namespace of requests that leave it empty (as the API does). */
  static final String DEFAULT_NAMESPACE = "default";

  /** What a call needs. */
  public sealed interface Rule {}

  /** No credential: health checks. */
  public record Open() implements Rule {}

  /** Any known principal: cluster status, server reflection. */
  public record Authenticated() implements Rule {}

  /** {@code role} on every namespace the request touches ({@code namespaces} finds them). */
  public record Needs(Role role, Function<Object, List<String>> namespaces) implements Rule {}

  private final Map<String, Rule> rules = new HashMap<>();

  private Access() {}

  /** The rules of Horae's public API. */
  public static Access horae() {
    Access a = new Access();
    a.open("grpc.health.v1.Health/Check");
    a.open("grpc.health.v1.Health/Watch");
    a.authenticated("grpc.reflection.v1.ServerReflection/ServerReflectionInfo");
    a.authenticated("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo");

    a.needs(
        JobServiceGrpc.getCreateJobMethod(),
        Role.WRITER,
        r -> List.of(((CreateJobRequest) r).getJob().getNamespace()));
    a.needs(
        JobServiceGrpc.getCreateJobsMethod(),
        Role.WRITER,
        r ->
            ((CreateJobsRequest) r)
                .getJobsList().stream().map(j -> j.getJob().getNamespace()).toList());
    a.needs(
        JobServiceGrpc.getGetJobMethod(),
        Role.READER,
        r -> List.of(((GetJobRequest) r).getNamespace()));
    a.needs(
        JobServiceGrpc.getListJobsMethod(),
        Role.READER,
        r -> List.of(((ListJobsRequest) r).getNamespace()));
    a.needs(
        JobServiceGrpc.getDeleteJobMethod(),
        Role.WRITER,
        r -> List.of(((DeleteJobRequest) r).getNamespace()));
    a.needs(
        JobServiceGrpc.getPauseJobMethod(),
        Role.WRITER,
        r -> List.of(((PauseJobRequest) r).getNamespace()));
    a.needs(
        JobServiceGrpc.getResumeJobMethod(),
        Role.WRITER,
        r -> List.of(((ResumeJobRequest) r).getNamespace()));
    a.needs(
        JobServiceGrpc.getUpdateJobMethod(),
        Role.WRITER,
        r -> List.of(((UpdateJobRequest) r).getJob().getNamespace()));
    a.needs(
        JobServiceGrpc.getTriggerJobMethod(),
        Role.WRITER,
        r -> List.of(((TriggerJobRequest) r).getNamespace()));
    a.needs(
        JobServiceGrpc.getPreviewScheduleMethod(),
        Role.READER,
        r -> List.of(((PreviewScheduleRequest) r).getNamespace()));

    a.needs(
        ExecutionServiceGrpc.getListExecutionsMethod(),
        Role.READER,
        r -> List.of(((ListExecutionsRequest) r).getNamespace()));
    a.needs(
        ExecutionServiceGrpc.getGetExecutionMethod(),
        Role.READER,
        r -> List.of(namespaceOfId(((GetExecutionRequest) r).getId())));
    a.needs(
        ExecutionServiceGrpc.getCancelExecutionMethod(),
        Role.WRITER,
        r -> List.of(namespaceOfId(((CancelExecutionRequest) r).getId())));
    a.needs(
        ExecutionServiceGrpc.getWatchExecutionsMethod(),
        Role.READER,
        r -> List.of(((WatchExecutionsRequest) r).getNamespace()));

    a.needs(
        DeadLetterServiceGrpc.getListDeadLettersMethod(),
        Role.READER,
        r -> List.of(((ListDeadLettersRequest) r).getFilter().getNamespace()));
    a.needs(
        DeadLetterServiceGrpc.getGetDeadLetterMethod(),
        Role.READER,
        r -> List.of(namespaceOfId(((GetDeadLetterRequest) r).getId())));
    a.needs(
        DeadLetterServiceGrpc.getReplayDeadLettersMethod(),
        Role.WRITER,
        r ->
            selection(
                ((ReplayDeadLettersRequest) r).getIdsList(),
                ((ReplayDeadLettersRequest) r).getFilter()));
    a.needs(
        DeadLetterServiceGrpc.getPurgeDeadLettersMethod(),
        Role.WRITER,
        r ->
            selection(
                ((PurgeDeadLettersRequest) r).getIdsList(),
                ((PurgeDeadLettersRequest) r).getFilter()));

    a.needs(
        SecretServiceGrpc.getRotateSigningSecretMethod(),
        Role.SECRETS,
        r -> List.of(((RotateSigningSecretRequest) r).getNamespace()));
    a.needs(
        SecretServiceGrpc.getListSigningSecretsMethod(),
        Role.SECRETS,
        r -> List.of(((ListSigningSecretsRequest) r).getNamespace()));

    a.authenticated(ClusterServiceGrpc.getGetStatusMethod().getFullMethodName());
    // Lists only the namespaces the caller may read (JobApi#listNamespaces).
    a.authenticated(JobServiceGrpc.getListNamespacesMethod().getFullMethodName());
    for (MethodDescriptor<?, ?> m :
        List.of(
            ClusterServiceGrpc.getAddNodeMethod(),
            ClusterServiceGrpc.getRemoveNodeMethod(),
            ClusterServiceGrpc.getTransferLeaderMethod(),
            ClusterServiceGrpc.getSnapshotMethod(),
            ClusterServiceGrpc.getGetStateDigestMethod())) {
      a.needs(m, Role.CLUSTER_ADMIN, r -> List.of());
    }
    return a;
  }

  /**
   * The public services, every method of which needs a rule (the tests check it, and the fuzz
   * covers them).
   */
  public static final List<io.grpc.ServiceDescriptor> PUBLIC_SERVICES =
      List.of(
          JobServiceGrpc.getServiceDescriptor(),
          ExecutionServiceGrpc.getServiceDescriptor(),
          DeadLetterServiceGrpc.getServiceDescriptor(),
          SecretServiceGrpc.getServiceDescriptor(),
          ClusterServiceGrpc.getServiceDescriptor());

  /** The rule of a method (full name {@code package.Service/Method}); empty: no rule, refuse. */
  public Optional<Rule> rule(String fullMethodName) {
    return Optional.ofNullable(rules.get(fullMethodName));
  }

  /**
   * The namespace of an execution id {@code <namespace>/<name>@<ms>}; the API refuses a malformed
   * one.
   */
  static String namespaceOfId(String id) {
    int slash = id.indexOf('/');
    return slash <= 0 ? DEFAULT_NAMESPACE : id.substring(0, slash);
  }

  static String orDefault(String namespace) {
    return namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
  }

  /** A dead-letter selection touches its ids' namespaces, or the filter's when it names no id. */
  private static List<String> selection(List<String> ids, DeadLetterFilter filter) {
    if (ids.isEmpty()) {
      return List.of(filter.getNamespace());
    }
    TreeSet<String> namespaces = new TreeSet<>();
    ids.forEach(id -> namespaces.add(namespaceOfId(id)));
    return List.copyOf(namespaces);
  }

  private void open(String method) {
    rules.put(method, new Open());
  }

  private void authenticated(String method) {
    rules.put(method, new Authenticated());
  }

  private void needs(
      MethodDescriptor<?, ?> method, Role role, Function<Object, List<String>> namespaces) {
    rules.put(
        method.getFullMethodName(),
        new Needs(
            role, r -> namespaces.apply(r).stream().map(Access::orDefault).distinct().toList()));
  }
}
