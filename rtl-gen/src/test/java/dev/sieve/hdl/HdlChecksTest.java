package dev.sieve.hdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The design checks catch what they claim, with the message a user sees. */
class HdlChecksTest {

    @Test
    void widthMismatchNamesBothOperandsTheirWidthsAndTheSourceLine() {
        HdlException e = assertThrows(HdlException.class, () -> new Component("bad_add") {
            final Signal a = input(8);
            final Signal b = input(9);
            final Signal y = output(8);

            {
                assign(y, a.add(b)); // the line the error must point at
            }
        });
        String m = e.getMessage();
        assertTrue(m.contains("'a' is 8 bits"), m);
        assertTrue(m.contains("'b' is 9 bits"), m);
        assertTrue(m.contains("HdlChecksTest.java:" + lineOf("assign(y, a.add(b));")), m);
    }

    @Test
    void assignmentOfWrongWidthIsRejected() {
        HdlException e = assertThrows(HdlException.class, () -> new Component("bad_assign") {
            final Signal a = input(4);
            final Signal y = output(8);

            {
                assign(y, a);
            }
        });
        assertTrue(e.getMessage().contains("'y' is 8 bits but 'a' is 4 bits"), e.getMessage());
    }

    @Test
    void doubleDriverIsAnErrorNamingBothSites() {
        Component c = new Component("double_drive") {
            final Signal a = input(1);
            final Signal y = output(1);

            {
                assign(y, a);
                assign(y, a.not());
            }
        };
        HdlException e = assertThrows(HdlException.class, c::build);
        assertTrue(e.getMessage().startsWith("double driver: 'y' is assigned unconditionally at HdlChecksTest.java:"),
                e.getMessage());
        assertTrue(e.getMessage().contains("and again at HdlChecksTest.java:" + lineOf("assign(y, a.not());")),
                e.getMessage());
    }

    @Test
    void instanceOutputAndAssignmentOnOneWireIsADoubleDriver() {
        Component c = new Component("double_inst") {
            final Signal a = input(1);
            final Signal w = wire(1);
            final Signal y = output(1);

            {
                Component child = new Inverter();
                instance("u_inv", child).connect(child.build().port("x"), a).connect(child.build().port("y"), w);
                assign(w, a);
                assign(y, w);
            }
        };
        HdlException e = assertThrows(HdlException.class, c::build);
        assertTrue(e.getMessage().contains("double driver: 'w' is driven by instance 'u_inv' output 'y'"),
                e.getMessage());
    }

    @Test
    void combinationalLoopListsTheSignalsOfTheLoop() {
        Component c = new Component("comb_loop") {
            final Signal a = input(1);
            final Signal p = wire(1);
            final Signal q = wire(1);
            final Signal y = output(1);

            {
                assign(p, q.xor(a));
                assign(q, p.not());
                assign(y, q);
            }
        };
        HdlException e = assertThrows(HdlException.class, c::build);
        assertTrue(e.getMessage().startsWith("combinational loop: "), e.getMessage());
        assertTrue(e.getMessage().contains("p -> q -> p") || e.getMessage().contains("q -> p -> q"), e.getMessage());
    }

    @Test
    void loopThroughAnInstanceIsFound() {
        Component c = new Component("inst_loop") {
            final Signal w = wire(1);
            final Signal y = output(1);

            {
                Component child = new Inverter();
                instance("u_inv", child).connect(child.build().port("x"), w).connect(child.build().port("y"), w);
                assign(y, w);
            }
        };
        HdlException e = assertThrows(HdlException.class, c::build);
        assertEquals("combinational loop: w -> w; break it with a register", e.getMessage());
    }

    @Test
    void registerBreaksALoop() {
        ModuleDef m = new Component("toggle") {
            final Signal t = reg(1, 0);
            final Signal y = output(1);

            {
                assign(t, t.not());
                assign(y, t);
            }
        }.build();
        assertEquals(List.of("clk", "rst", "y"), m.ports().stream().map(Signal::name).toList());
    }

    @Test
    void signalAssignedInOnlySomeBranchesIsALatch() {
        Component c = new Component("latch") {
            final Signal s = input(1);
            final Signal a = input(4);
            final Signal y = output(4);

            {
                when(s, () -> assign(y, a));
            }
        };
        HdlException e = assertThrows(HdlException.class, c::build);
        assertTrue(e.getMessage().startsWith("latch: 'y' is assigned in only some branches of the when at "
                + "HdlChecksTest.java:" + lineOf("when(s, () -> assign(y, a));")), e.getMessage());
    }

    @Test
    void defaultBeforeWhenOrACompleteChainIsNoLatch() {
        new Component("no_latch") {
            final Signal s = input(1);
            final Signal a = input(4);
            final Signal y = output(4);
            final Signal z = output(4);

            {
                assign(y, 0);
                when(s, () -> assign(y, a));
                when(s, () -> assign(z, a)).otherwise(() -> assign(z, a.not()));
            }
        }.build();
    }

    @Test
    void lastAssignmentWins() {
        ModuleDef m = new Component("last_wins") {
            final Signal s = input(1);
            final Signal t = input(1);
            final Signal y = output(2);

            {
                assign(y, 0);
                when(s, () -> assign(y, 1));
                when(t, () -> assign(y, 2));
            }
        }.build();
        // t's block comes last, so it is the outer mux: y = t ? 2 : (s ? 1 : 0)
        Expr.Mux outer = (Expr.Mux) m.drivers().values().iterator().next();
        assertEquals("t", ((Signal) outer.sel()).name());
        assertEquals(new Expr.Const(2, java.math.BigInteger.TWO), outer.ifTrue());
    }

    @Test
    void switchLowersToAnEqualityChainWithFirstMatchAndDefault() {
        ModuleDef m = new Component("sw") {
            final Signal sel = input(2);
            final Signal y = output(4);

            {
                switchOn(sel).is(0, () -> assign(y, 1)).is(2, () -> assign(y, 4)).otherwise(() -> assign(y, 8));
            }
        }.build();
        // y = (sel == 0) ? 1 : ((sel == 2) ? 4 : 8)
        Expr.Mux outer = (Expr.Mux) m.drivers().values().iterator().next();
        assertEquals(Expr.BinaryOp.EQ, ((Expr.Binary) outer.sel()).op());
        assertEquals(Expr.lit(4, 1), outer.ifTrue());
        Expr.Mux inner = (Expr.Mux) outer.ifFalse();
        assertEquals(Expr.lit(2, 2), ((Expr.Binary) inner.sel()).b());
        assertEquals(Expr.lit(4, 8), inner.ifFalse());
    }

    @Test
    void switchWithADuplicateCaseIsRejected() {
        HdlException e = assertThrows(HdlException.class, () -> new Component("sw_dup") {
            final Signal sel = input(2);
            final Signal y = output(1);

            {
                assign(y, 0);
                switchOn(sel).is(1, () -> assign(y, 1)).is(1, () -> assign(y, 0));
            }
        });
        assertTrue(e.getMessage().contains("has case 1 twice"), e.getMessage());
    }

    @Test
    void switchWithoutDefaultThatMissesCasesIsALatch() {
        Component c = new Component("sw_latch") {
            final Signal sel = input(2);
            final Signal y = output(1);

            {
                switchOn(sel).is(0, () -> assign(y, 1)).is(1, () -> assign(y, 0));
            }
        };
        assertTrue(assertThrows(HdlException.class, c::build).getMessage().startsWith("latch: 'y'"));
    }

    @Test
    void undrivenOutputIsAnError() {
        Component c = new Component("undriven") {
            final Signal y = output(3);
        };
        HdlException e = assertThrows(HdlException.class, c::build);
        assertTrue(e.getMessage().startsWith("undriven: output 'y'"), e.getMessage());
    }

    @Test
    void unusedInputsAndBitsAreReported() {
        ModuleDef m = new Component("unused") {
            final Signal a = input(8);
            final Signal spare = input(2);
            final Signal y = output(4);

            {
                assign(y, a.slice(3, 0));
            }
        }.build();
        assertEquals(2, m.warnings().size(), m.warnings().toString());
        assertTrue(m.warnings().get(0).startsWith("unused: input 'a' bits [7:4] are never read"), m.warnings().get(0));
        assertTrue(m.warnings().get(1).startsWith("unused: input 'spare' is never read"), m.warnings().get(1));
    }

    @Test
    void zeroWidthIsRejected() {
        HdlException e = assertThrows(HdlException.class, () -> new Component("w0") {
            final Signal a = input("a", 0);
        });
        assertTrue(e.getMessage().contains("has width 0"), e.getMessage());
    }

    @Test
    void keywordNamesAreRejected() {
        assertThrows(HdlException.class, () -> new Component("kw") {
            final Signal a = input("module", 1);
        });
    }

    @Test
    void emissionIsDeterministic() {
        String first = VerilogEmitter.emit(new dev.sieve.hdl.lib.Fifo(new dev.sieve.hdl.lib.Fifo.Config(8, 5)).build());
        String second = VerilogEmitter.emit(new dev.sieve.hdl.lib.Fifo(new dev.sieve.hdl.lib.Fifo.Config(8, 5)).build());
        assertEquals(first, second);
    }

    /** A one-bit inverter used as a child module. */
    static final class Inverter extends Component {
        final Signal x = input(1);
        final Signal y = output(1);

        Inverter() {
            super("inverter");
            assign(y, x.not());
        }
    }

    /** The line number in this file of the first line containing {@code text}. */
    static int lineOf(String text) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(
                    java.nio.file.Path.of("src/test/java/dev/sieve/hdl/HdlChecksTest.java"));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text) && !lines.get(i).contains("lineOf(")) {
                    return i + 1;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no line contains " + text);
    }
}
