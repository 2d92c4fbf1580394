package io.horae.chaos.check;

import java.util.List;

/** One guarantee, checked over the files of a run. Implementations are pure functions. */
interface Check {
  List<Violation> check(CheckInput in);
}
