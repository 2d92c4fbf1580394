package io.horae.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The role matrix at the rule level, generated from the service descriptors: every method of every
 * public service x every role x namespaces inside and outside the grant. The expected role of each
 * method is written here, apart from {@link Access}, as the issue states it: a change of either
 * shows as a failure. Requests are generated from the message descriptors, so a new field that
 * names a namespace is covered without a new case.
 */
class AccessMatrixTest {
  private static final List<ServiceDescriptor> PUBLIC = io.horae.server.auth.Access.PUBLIC_SERVICES;

  /** The role each method needs ("authenticated": any principal). */
  private static final Map<String, String> EXPECTED = new TreeMap<>();

  static {
    for (String m :
        List.of(
            "CreateJob",
            "CreateJobs",
            "DeleteJob",
            "PauseJob",
            "ResumeJob",
            "UpdateJob",
            "TriggerJob")) {
      EXPECTED.put("horae.v1.JobService/" + m, "writer");
    }
    EXPECTED.put("horae.v1.JobService/GetJob", "reader");
    EXPECTED.put("horae.v1.JobService/ListJobs", "reader");
    EXPECTED.put("horae.v1.JobService/PreviewSchedule", "reader");
    EXPECTED.put("horae.v1.ExecutionService/ListExecutions", "reader");
    EXPECTED.put("horae.v1.ExecutionService/GetExecution", "reader");
    EXPECTED.put("horae.v1.ExecutionService/WatchExecutions", "reader");
    EXPECTED.put("horae.v1.ExecutionService/CancelExecution", "writer");
    EXPECTED.put("horae.v1.DeadLetterService/ListDeadLetters", "reader");
    EXPECTED.put("horae.v1.DeadLetterService/GetDeadLetter", "reader");
    EXPECTED.put("horae.v1.DeadLetterService/ReplayDeadLetters", "writer");
    EXPECTED.put("horae.v1.DeadLetterService/PurgeDeadLetters", "writer");
    EXPECTED.put("horae.v1.SecretService/RotateSigningSecret", "secrets");
    EXPECTED.put("horae.v1.SecretService/ListSigningSecrets", "secrets");
    EXPECTED.put("horae.v1.ClusterService/GetStatus", "authenticated");
    // Answers only the namespaces the caller may read.
    EXPECTED.put("horae.v1.JobService/ListNamespaces", "authenticated");
    for (String m :
        List.of("AddNode", "RemoveNode", "TransferLeader", "Snapshot", "GetStateDigest")) {
      EXPECTED.put("horae.v1.ClusterService/" + m, "cluster-admin");
    }
  }

  private final Access access = Access.horae();

  @Test
  void everyPublicMethodHasTheRuleTheIssueGivesIt() {
    List<String> methods = new ArrayList<>();
    PUBLIC.forEach(s -> s.getMethods().forEach(m -> methods.add(m.getFullMethodName())));
    assertThat(methods).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    for (String m : methods) {
      Access.Rule rule = access.rule(m).orElseThrow(() -> new AssertionError("no rule for " + m));
      String role =
          rule instanceof Access.Needs n
              ? n.role().wireName()
              : rule instanceof Access.Authenticated ? "authenticated" : "open";
      assertThat(role).as(m).isEqualTo(EXPECTED.get(m));
    }
    assertThat(access.rule("horae.internal.v1.NodeService/Report"))
        .as("internal services are not public")
        .isEmpty();
    assertThat(access.rule("grpc.health.v1.Health/Check")).containsInstanceOf(Access.Open.class);
  }

  @Test
  void eachRoleOnEachNamespaceIsAllowedExactlyWhereItShouldBe() {
    int cases = 0;
    for (ServiceDescriptor service : PUBLIC) {
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        if (!(access.rule(method.getFullMethodName()).orElseThrow()
            instanceof Access.Needs needs)) {
          continue;
        }
        String wanted = EXPECTED.get(method.getFullMethodName());
        for (String target : List.of("team-a", "team-b", "default")) {
          Message request = requestTouching(method, target);
          for (Role held : Role.values()) {
            for (String pattern : List.of("team-a", "team-*", "*")) {
              Grant grant = held.perNamespace() ? new Grant(held, pattern) : new Grant(held, "");
              Principal p = new Principal("p", List.of(grant));
              boolean roleFits =
                  held.wireName().equals(wanted)
                      || (held == Role.WRITER && wanted.equals("reader"));
              boolean nsFits = !held.perNamespace() || Grant.matches(pattern, target);
              boolean expected = roleFits && nsFits;
              String why = AuthInterceptor.denial(p, needs, request);
              assertThat(why == null)
                  .as("%s by %s on %s", method.getFullMethodName(), grant, target)
                  .isEqualTo(expected);
              if (why != null) {
                assertThat(why).contains("'p'").contains(needs.role().wireName());
                if (held.perNamespace() && needs.role().perNamespace()) {
                  assertThat(why).contains("'" + target + "'");
                }
              }
              cases++;
            }
          }
          assertThat(AuthInterceptor.denial(new Principal("nobody", List.of()), needs, request))
              .as("no grants")
              .isNotNull();
        }
      }
    }
    long needing = EXPECTED.values().stream().filter(r -> !r.equals("authenticated")).count();
    assertThat(cases)
        .as("the matrix's size: methods x namespaces x roles x patterns")
        .isEqualTo(needing * 3 * Role.values().length * 3);
  }

  @Test
  void aBatchNeedsTheRoleOnEveryNamespaceItTouches() {
    Access.Needs createJobs =
        (Access.Needs) access.rule("horae.v1.JobService/CreateJobs").orElseThrow();
    io.horae.api.v1.CreateJobsRequest both =
        io.horae.api.v1.CreateJobsRequest.newBuilder()
            .addJobs(
                io.horae.api.v1.CreateJobRequest.newBuilder()
                    .setJob(io.horae.api.v1.Job.newBuilder().setNamespace("team-a")))
            .addJobs(
                io.horae.api.v1.CreateJobRequest.newBuilder()
                    .setJob(io.horae.api.v1.Job.newBuilder().setNamespace("team-b")))
            .build();
    String why =
        AuthInterceptor.denial(
            new Principal("ci", List.of(Grant.parse("writer:team-a"))), createJobs, both);
    assertThat(why).isEqualTo("principal 'ci' lacks role writer on namespace 'team-b'");
  }

  /**
   * A request of the method's input type in which every namespace and execution id names {@code
   * ns}.
   */
  private static Message requestTouching(MethodDescriptor<?, ?> method, String ns) {
    Descriptor input =
        ((ProtoMethodDescriptorSupplier) method.getSchemaDescriptor())
            .getMethodDescriptor()
            .getInputType();
    return fill(input, ns, 0);
  }

  private static Message fill(Descriptor type, String ns, int depth) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    for (FieldDescriptor f : type.getFields()) {
      if (f.getJavaType() == FieldDescriptor.JavaType.STRING) {
        String value =
            switch (f.getName()) {
              case "namespace" -> ns;
              case "id", "ids" -> ns + "/job@1";
              default -> null;
            };
        if (value != null) {
          if (f.isRepeated()) {
            b.addRepeatedField(f, value);
          } else {
            b.setField(f, value);
          }
        }
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && depth < 3
          && !f.isMapField()) {
        Message inner = fill(f.getMessageType(), ns, depth + 1);
        if (f.isRepeated()) {
          b.addRepeatedField(f, inner);
        } else {
          b.setField(f, inner);
        }
      }
    }
    try {
      // The rules cast to the generated classes: parse the dynamic message into them.
      return (Message)
          Class.forName(javaName(type))
              .getMethod("parseFrom", byte[].class)
              .invoke(null, (Object) b.build().toByteArray());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static String javaName(Descriptor type) {
    return type.getFile().getOptions().getJavaPackage() + "." + type.getName();
  }
}
