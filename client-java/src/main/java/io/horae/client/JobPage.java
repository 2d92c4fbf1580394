package io.horae.client;

import io.horae.api.v1.Job;
import java.util.List;
import java.util.Objects;

/**
 * One page of a job listing.
 *
 * @param jobs the jobs of this page, in the server's order; never {@code null}, immutable
 * @param nextPageToken pass to {@link HoraeClient#list} for the next page; empty when this is the
 *     last page
 */
public record JobPage(List<Job> jobs, String nextPageToken) {

  /** Copies {@code jobs} and replaces a {@code null} token by an empty string. */
  public JobPage {
    jobs = List.copyOf(jobs);
    nextPageToken = Objects.requireNonNullElse(nextPageToken, "");
  }

  /** Returns whether another page follows this one. */
  public boolean hasNextPage() {
    return !nextPageToken.isEmpty();
  }
}
