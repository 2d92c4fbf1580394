package io.horae.client;

import io.grpc.Status;
import io.horae.api.v1.Job;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Iterates over all jobs of a listing by following page tokens, fetching a page only when the
 * previous one is used up. Not thread-safe.
 */
final class JobPager implements Iterator<Job> {
  private final Function<String, JobPage> fetchPage;
  private Iterator<Job> page = null;

  /** Token of the next page; {@code null} once the last page was fetched. */
  private String nextToken = "";

  /**
   * @param fetchPage fetches the page for a token ("" for the first)
   */
  JobPager(Function<String, JobPage> fetchPage) {
    this.fetchPage = fetchPage;
  }

  Stream<Job> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  @Override
  public boolean hasNext() {
    // Loops because a page may be empty and still have a successor.
    while ((page == null || !page.hasNext()) && nextToken != null) {
      JobPage fetched = fetchPage.apply(nextToken);
      if (fetched.hasNextPage() && fetched.nextPageToken().equals(nextToken)) {
        // A server that hands back the token it was given would make this loop forever.
        throw new HoraeException(
            Status.Code.INTERNAL,
            "server returned page token '" + nextToken + "' for its own page; stopping the listing",
            null);
      }
      page = fetched.jobs().iterator();
      nextToken = fetched.hasNextPage() ? fetched.nextPageToken() : null;
    }
    return page != null && page.hasNext();
  }

  @Override
  public Job next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.next();
  }
}
