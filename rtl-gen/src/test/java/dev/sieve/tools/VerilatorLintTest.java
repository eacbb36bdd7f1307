package dev.sieve.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Lint results for the small designs in {@code src/test/resources/tools}, run through Verilator 5.006. */
class VerilatorLintTest {

    @Test
    void cleanModuleHasNoFindingsAndPassesTheGate() {
        LintReport report = VerilatorLint.lint(List.of(TestDesigns.resource("clean_adder.v")), "clean_adder");

        assertTrue(report.clean(), report::format);
        assertSame(report, report.orThrow());
    }

    @Test
    void widthMismatchIsAWidthWarningOnTheAssignLine() {
        // width_mismatch.v line 8: "assign y = a & b;" puts a 16-bit AND into an 8-bit wire.
        LintReport report = VerilatorLint.lint(List.of(TestDesigns.resource("width_mismatch.v")), "width_mismatch");

        assertEquals(1, report.findings().size(), report::format);
        LintFinding f = report.findings().get(0);
        assertEquals(LintFinding.Severity.WARNING, f.severity());
        assertEquals("WIDTH", f.code());
        assertTrue(f.file().endsWith("width_mismatch.v"), f.file());
        assertEquals(8, f.line());
        assertTrue(f.message().contains("expects 8 bits"), f.message());
        assertTrue(report.errors().isEmpty(), "the 'Exiting due to' summary is not a finding");
    }

    @Test
    void unusedInputIsAnUnusedWarningNamingTheSignal() {
        // unused_input.v line 5 declares 'spare', which nothing reads. Verilator 5.006 spells the
        // code UNUSEDSIGNAL (4.x said UNUSED); isIn("UNUSED") accepts both.
        LintReport report = VerilatorLint.lint(List.of(TestDesigns.resource("unused_input.v")), "unused_input");

        List<LintFinding> unused = report.withCode("UNUSED");
        assertEquals(1, unused.size(), report::format);
        assertEquals(5, unused.get(0).line());
        assertTrue(unused.get(0).message().contains("'spare'"), unused.get(0).message());
        assertEquals(report.findings(), unused, "nothing else is wrong with this module");
    }

    @Test
    void orThrowListsEachFindingWithFileAndLine() {
        LintReport report = VerilatorLint.lint(List.of(TestDesigns.resource("width_mismatch.v")), "width_mismatch");

        LintReport.LintException e = assertThrows(LintReport.LintException.class, report::orThrow);
        assertTrue(e.getMessage().contains("width_mismatch.v:8:14: %Warning-WIDTH: "), e.getMessage());
        assertTrue(e.getMessage().contains("1 warning(s), 0 error(s)"), e.getMessage());
        assertSame(report, e.report());
    }

    @Test
    void syntaxErrorIsOneErrorFindingWithItsLocation() {
        // syntax_error.v: the assign on line 6 lacks its ';', so the parser fails at 'endmodule' on line 7.
        LintReport report = VerilatorLint.lint(List.of(TestDesigns.resource("syntax_error.v")), "syntax_error");

        assertEquals(1, report.findings().size(), report::format);
        LintFinding f = report.errors().get(0);
        assertEquals("", f.code());
        assertEquals(7, f.line());
        assertTrue(f.message().startsWith("syntax error"), f.message());
        assertTrue(!report.clean());
    }

    @Test
    void parserKeepsMessageLinesAndDropsContextAndSummaryLines() {
        String output = String.join("\n",
                "%Warning-UNUSEDSIGNAL: a/b.v:12:7: Signal is not used: 'x'",
                "                      : ... In instance top",
                "   12 |   wire x;",
                "      |        ^",
                "%Warning-DECLFILENAME: top.v:1:8: Filename 'top' does not match MODULE name: 'tip'",
                "%Error: Cannot find file containing module: 'missing'",
                "%Error-PINNOTFOUND: top.v:9:10: Pin not found: 'q'",
                "%Error: Exiting due to 2 error(s), 2 warning(s)",
                "%Error: Cannot continue");

        List<LintFinding> findings = VerilatorLint.parse(output);

        assertEquals(4, findings.size(), findings::toString);
        assertEquals(new LintFinding(LintFinding.Severity.WARNING, "UNUSEDSIGNAL", "a/b.v", 12, 7,
                "Signal is not used: 'x'"), findings.get(0));
        assertEquals("DECLFILENAME", findings.get(1).code());
        assertTrue(!findings.get(2).hasLocation());
        assertEquals("Cannot find file containing module: 'missing'", findings.get(2).message());
        assertEquals("top.v:9:10: %Error-PINNOTFOUND: Pin not found: 'q'", findings.get(3).format());
    }
}
