package dev.sieve.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void offATerminalItIsPlainLinesFromStartToEnd() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (Progress p = Progress.start(out, "epoch 2/3", 8, 0, "steps", false)) {
            for (int i = 0; i < 8; i++) {
                p.step();
                p.message("loss 0.25");
            }
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), "no carriage returns in a log");
        List<String> lines = text.lines().toList();
        // the library draws when the task starts (on its own thread, so possibly after some steps), every
        // interval while it advances, and when it closes
        assertTrue(lines.stream().allMatch(l -> l.matches("epoch 2/3 +\\d+% \\[[#.]+\\] \\d/8 steps .*")), text);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("epoch 2/3 100% \\[#+\\] 8/8 steps \\(0:00:0\\d / 0:00:00\\) .*steps/s loss 0\\.25"),
                last);
        assertEquals(Progress.LOG_WIDTH, last.length(), "the bar fills the line");
        assertEquals(lines.size(), lines.stream().distinct().count(), "the last state is written once");
    }

    @Test
    void unitsDoneBeforeCountTowardTheBar() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Progress p = Progress.start(new PrintStream(buf, true, StandardCharsets.UTF_8), "sweep", 12, 9, "points",
                false)) {
            p.stepTo(10);
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("sweep  83% [#"), lines.toString()); // 10 of 12
    }

    @Test
    void onATerminalItIsRedrawnInPlaceAndErasedAtTheEnd() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Progress p = Progress.start(new PrintStream(buf, true, StandardCharsets.UTF_8), "t", 4, 0, "steps", true)) {
            p.stepTo(4);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\rt "), text);
        assertFalse(text.contains("\n"), "never a new line on a terminal");
        assertTrue(text.matches("(?s).*\r +\r"), "erased at the end: " + text);
    }

    @Test
    void noStreamOrNoneShowsNothing() {
        try (Progress p = Progress.start(null, "t", 3, "steps")) {
            p.step();
            p.message("x");
        }
        try (Progress p = Progress.none()) {
            p.stepTo(2);
        }
    }
}
