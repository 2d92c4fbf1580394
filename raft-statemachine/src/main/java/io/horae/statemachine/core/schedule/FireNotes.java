package io.horae.statemachine.core.schedule;

import io.horae.api.v1.PreviewedFire;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * What daylight saving did to a cron fire, for previews: the UTC offset at the fire and a note such
 * as "shifted: 02:30 does not exist (spring forward)", "first of two 02:30" or "second of two
 * 02:30".
 */
final class FireNotes {

  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("HH:mm");
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss");

  private FireNotes() {}

  /** A fire of a schedule without a zone: UTC, nothing to note. */
  static PreviewedFire utc(long fireMs) {
    return PreviewedFire.newBuilder().setFireMs(fireMs).build();
  }

  /** Describes {@code fireMs}, an occurrence of {@code times}. */
  static PreviewedFire of(CronTimes times, long fireMs) {
    ZoneRules rules = times.rules();
    Instant at = Instant.ofEpochMilli(fireMs);
    ZoneOffset offset = rules.getOffset(at);
    LocalDateTime shown = LocalDateTime.ofInstant(at, offset);
    PreviewedFire.Builder fire =
        PreviewedFire.newBuilder().setFireMs(fireMs).setUtcOffsetSeconds(offset.getTotalSeconds());
    ZoneOffsetTransition previous = rules.previousTransition(at.plusMillis(1));
    if (previous != null && previous.getInstant().equals(at) && times.shiftsInto(previous)) {
      // Both exist: shiftsInto found a match in [before, after).
      LocalDateTime first = times.firstMatchAtOrAfter(previous.getDateTimeBefore()).orElseThrow();
      LocalDateTime last =
          times.lastMatchAtOrBefore(previous.getDateTimeAfter().minusSeconds(1)).orElseThrow();
      String skipped =
          first.equals(last)
              ? wall(first, shown.toLocalDate()) + " does not exist"
              : wall(first, shown.toLocalDate())
                  + " to "
                  + wall(last, shown.toLocalDate())
                  + " do not exist";
      return fire.setNote(PreviewedFire.Note.NOTE_SHIFTED_GAP)
          .setNoteText("shifted: " + skipped + " (" + jump(rules, previous) + ")")
          .build();
    }
    ZoneOffsetTransition overlap = rules.getTransition(shown);
    if (overlap == null || !overlap.isOverlap()) {
      return fire.build();
    }
    boolean first = offset.equals(overlap.getOffsetBefore());
    return fire.setNote(
            first ? PreviewedFire.Note.NOTE_OVERLAP_FIRST : PreviewedFire.Note.NOTE_OVERLAP_SECOND)
        .setNoteText((first ? "first" : "second") + " of two " + wall(shown, shown.toLocalDate()))
        .build();
  }

  /** "spring forward" when daylight saving starts; else how far the clock jumps. */
  private static String jump(ZoneRules rules, ZoneOffsetTransition gap) {
    Instant at = gap.getInstant();
    boolean dstStarts =
        rules.getDaylightSavings(at).compareTo(rules.getDaylightSavings(at.minusSeconds(1))) > 0;
    return dstStarts
        ? "spring forward"
        : "the clock jumps ahead " + ScheduleDescriptions.duration(gap.getDuration().toMillis());
  }

  /** 02:30, 02:30:15 with seconds, and the date too when it is not the fire's local date. */
  private static String wall(LocalDateTime wall, LocalDate fireDate) {
    String time = (wall.getSecond() == 0 ? MINUTES : SECONDS).format(wall);
    return wall.toLocalDate().equals(fireDate) ? time : wall.toLocalDate() + " " + time;
  }
}
