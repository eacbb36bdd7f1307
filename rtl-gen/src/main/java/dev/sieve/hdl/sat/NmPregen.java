package dev.sieve.hdl.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.hdl.Bits;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Signal;
import dev.sieve.hdl.lib.Logic;
import java.util.ArrayList;
import java.util.List;

/**
 * N:M pre-generation: compresses a block of dense weights for both directions of BDWP at once.
 *
 * <p>Each cycle takes a block of Mmax x Mmax weights ({@code block}, element (i, j) = output channel
 * i, input channel j at lane {@code i*Mmax + j}), Mmax the largest M of the sparse patterns. The
 * forward weights keep, in every row, the top N of each group of M consecutive columns; the
 * backward (transposed) weights keep, in every column, the top N of each group of M consecutive
 * rows. "Top" is by magnitude (INT8: |x|, with |-128| = 128; BF16: {@code Bf16.magnitudeKey},
 * subnormals as zero and NaN above infinity), ties going to the lower index. The kept values of a
 * group leave in index order with their index inside the group (log2 M bits).
 *
 * <p>Outputs, registered, {@link #LATENCY} cycles after the block and its {@code pattern} (a new
 * block may enter every cycle): line i (row i forward, column i backward) has {@code keep} slots,
 * slot g*N + n holding the n-th kept value of group g; slots past the pattern's count are zero.
 * {@code fwd_val}/{@code bwd_val} lane {@code i*keep + s}, {@code fwd_idx}/{@code bwd_idx} the same
 * lanes of log2(Mmax) bits; {@code out_valid} is {@code in_valid} as many cycles late. Reset clears
 * the pipeline: the outputs are zero until the first block applied after it arrives.
 * {@code pattern} indexes {@link SatDatapath#sparsePatterns()} (out of range means code 0). The
 * ranking is a comparator matrix: Mmax(Mmax-1)/2 magnitude comparisons per line, shared by every
 * pattern.
 *
 * <p>Pipeline (one register stage each, so no stage holds more than a small adder tree):
 * <ol>
 *   <li>magnitude keys of the Mmax^2 values, the pattern code decoded to one-hot;</li>
 *   <li>per line, every pairwise comparison {@code key[a] >= key[b]} (a before b);</li>
 *   <li>per pattern and element, kept: its rank in its group (a sum of comparison bits) below N;</li>
 *   <li>per slot, the one-hot position of its element (kept, with exactly "slot" kept elements
 *       before it in the group), selected by the pattern;</li>
 *   <li>the slot's value and index from that one-hot position (AND-OR).</li>
 * </ol>
 */
public final class NmPregen extends Component {
    /**
     * Cycles from a block at the inputs to its compression at the outputs: the unit's five
     * register stages. The accelerator's pre-generation command and its cycle rule
     * ({@code TileTiming.acceleratorPregenCycles}) read this constant.
     */
    public static final int LATENCY = 5;

    public final Signal inValid;
    public final Signal pattern;
    public final Signal block;
    public final Signal outValid;
    public final Signal fwdVal;
    public final Signal fwdIdx;
    public final Signal bwdVal;
    public final Signal bwdIdx;

    /** Largest M of the sparse patterns. */
    public static int maxM(SatDatapath dp) {
        return sparse(dp).stream().mapToInt(NmPattern::m).max().orElseThrow();
    }

    /** Slots per line: the most values any pattern keeps from Mmax elements. */
    public static int keep(SatDatapath dp) {
        int mMax = maxM(dp);
        return sparse(dp).stream().mapToInt(p -> mMax / p.m() * p.n()).max().orElseThrow();
    }

    public static int patternWidth(SatDatapath dp) {
        return Math.max(1, Bits.log2Ceil(sparse(dp).size()));
    }

    public static int indexWidth(SatDatapath dp) {
        return Math.max(1, Bits.log2Ceil(maxM(dp)));
    }

    private static List<NmPattern> sparse(SatDatapath dp) {
        List<NmPattern> sp = dp.sparsePatterns();
        if (sp.isEmpty()) {
            throw new IllegalArgumentException("patterns = " + dp.patterns()
                    + " has no N:M pattern; the pre-generation unit needs at least one");
        }
        return sp;
    }

    public NmPregen(SatConfig cfg) {
        this(SatDatapath.of(cfg));
    }

    public NmPregen(SatDatapath dp) {
        super("sat_nm_pregen_" + dp.tag());
        List<NmPattern> sp = sparse(dp);
        int vw = dp.valueWidth();
        int mMax = maxM(dp);
        int keep = keep(dp);
        int ib = indexWidth(dp);
        inValid = input("in_valid", 1);
        pattern = input("pattern", patternWidth(dp));
        block = input("block", mMax * mMax * vw);
        outValid = output("out_valid", 1);
        fwdVal = output("fwd_val", mMax * keep * vw);
        fwdIdx = output("fwd_idx", mMax * keep * ib);
        bwdVal = output("bwd_val", mMax * keep * vw);
        bwdIdx = output("bwd_idx", mMax * keep * ib);

        // live_k: the stage-k registers hold data applied after the last reset (stage 4 zeroes
        // its one-hot positions until then, so the outputs stay zero)
        Signal live1 = reg("live_1", 1, 0);
        Signal live2 = reg("live_2", 1, 0);
        Signal live3 = reg("live_3", 1, 0);
        assign(live1, 1);
        assign(live2, live1);
        assign(live3, live2);

        // stage 1: keys, the values, the pattern one-hot
        Signal[] key = new Signal[mMax * mMax];
        List<Expr> vals = new ArrayList<>();
        for (int e = 0; e < key.length; e++) {
            Expr x = SatBus.lane(block, e, vw);
            Expr k = switch (dp.format()) {
                case INT8_INT32 -> int8Key(x);
                case BF16_FP32 -> bf16Key(x);
            };
            key[e] = reg("s1_key_" + e, k.width(), 0);
            assign(key[e], k);
            vals.add(x);
        }
        Expr valsBus = SatBus.pack(vals);
        Expr vals4 = Logic.delay(this, "val_d", valsBus, 4, null);
        Signal[] pat1 = new Signal[sp.size()];
        for (int p = 0; p < sp.size(); p++) {
            Expr hit = pattern.eq(p);
            if (sp.size() == 1) {
                hit = Expr.lit(1, 1);
            } else if (p == 0 && sp.size() < 1 << pattern.width()) {
                hit = hit.or(pattern.geU(Expr.lit(pattern.width(), sp.size()))); // out of range: code 0
            }
            pat1[p] = reg("s1_pattern_" + p, 1, 0);
            assign(pat1[p], hit);
        }
        Expr[] pat3 = new Expr[sp.size()];
        Expr[] pat4 = new Expr[sp.size()];
        for (int p = 0; p < sp.size(); p++) {
            pat3[p] = Logic.delay(this, "pattern_" + p + "_d", pat1[p], 2, null);
            pat4[p] = Logic.delay(this, "pattern_" + p + "_e", pat3[p], 1, null);
        }

        List<Expr> fv = new ArrayList<>();
        List<Expr> fi = new ArrayList<>();
        List<Expr> bv = new ArrayList<>();
        List<Expr> bi = new ArrayList<>();
        for (int line = 0; line < mMax; line++) {
            Expr[] rowKeys = new Expr[mMax];
            Expr[] rowVals = new Expr[mMax];
            Expr[] colKeys = new Expr[mMax];
            Expr[] colVals = new Expr[mMax];
            for (int t = 0; t < mMax; t++) {
                rowKeys[t] = key[line * mMax + t];
                rowVals[t] = SatBus.lane(vals4, line * mMax + t, vw);
                colKeys[t] = key[t * mMax + line];
                colVals[t] = SatBus.lane(vals4, t * mMax + line, vw);
            }
            select("fwd_" + line, rowKeys, rowVals, sp, pat3, pat4, live3, keep, ib, vw, fv, fi);
            select("bwd_" + line, colKeys, colVals, sp, pat3, pat4, live3, keep, ib, vw, bv, bi);
        }

        // stage 5: the registered outputs
        Expr validOut = Logic.delay(this, "valid_d", inValid, LATENCY, null);
        Signal fwdValQ = reg("fwd_val_q", fwdVal.width(), 0);
        Signal fwdIdxQ = reg("fwd_idx_q", fwdIdx.width(), 0);
        Signal bwdValQ = reg("bwd_val_q", bwdVal.width(), 0);
        Signal bwdIdxQ = reg("bwd_idx_q", bwdIdx.width(), 0);
        assign(fwdValQ, SatBus.pack(fv));
        assign(fwdIdxQ, SatBus.pack(fi));
        assign(bwdValQ, SatBus.pack(bv));
        assign(bwdIdxQ, SatBus.pack(bi));
        assign(outValid, validOut);
        assign(fwdVal, fwdValQ);
        assign(fwdIdx, fwdIdxQ);
        assign(bwdVal, bwdValQ);
        assign(bwdIdx, bwdIdxQ);
    }

    /**
     * Stages 2 to 4 of one line and the combinational part of stage 5: appends the {@code keep}
     * (value, index) slots of the line (inputs of the output registers).
     */
    private void select(String name, Expr[] keys, Expr[] vals4, List<NmPattern> sp, Expr[] pat3, Expr[] pat4,
                        Expr live3, int keep, int ib, int vw, List<Expr> outVals, List<Expr> outIdx) {
        int mMax = keys.length;
        // stage 2: geq[a][b], a < b: element a ranks before element b (larger magnitude, or equal and lower index)
        Signal[][] geq = new Signal[mMax][mMax];
        for (int a = 0; a < mMax; a++) {
            for (int b = a + 1; b < mMax; b++) {
                geq[a][b] = reg(name + "_s2_ge_" + a + "_" + b, 1, 0);
                assign(geq[a][b], keys[a].geU(keys[b]));
            }
        }
        // stage 3: kept[p][t]: fewer than N elements of t's group (pattern p) rank before t
        Signal[][] kept = new Signal[sp.size()][mMax];
        for (int pi = 0; pi < sp.size(); pi++) {
            int m = sp.get(pi).m();
            int n = sp.get(pi).n();
            for (int t = 0; t < mMax; t++) {
                int base = t / m * m;
                List<Expr> before = new ArrayList<>();
                for (int a = base; a < base + m; a++) {
                    if (a < t) {
                        before.add(geq[a][t]);
                    } else if (a > t) {
                        before.add(geq[t][a].not());
                    }
                }
                kept[pi][t] = reg(name + "_s3_kept_" + pi + "_" + t, 1, 0);
                assign(kept[pi][t], countBelow(before, n));
            }
        }
        // stage 4: the one-hot position of each slot's element under the pattern
        Signal[][] at = new Signal[keep][mMax];
        for (int s = 0; s < keep; s++) {
            for (int q = 0; q < mMax; q++) {
                Expr any = Expr.zero(1);
                for (int pi = 0; pi < sp.size(); pi++) {
                    int m = sp.get(pi).m();
                    int n = sp.get(pi).n();
                    int g = q / m;
                    if (s / n != g) {
                        continue; // slot s belongs to another group (or is past the pattern's count)
                    }
                    List<Expr> earlier = new ArrayList<>();
                    for (int a = g * m; a < q; a++) {
                        earlier.add(kept[pi][a]);
                    }
                    Expr hit = kept[pi][q].and(countEquals(earlier, s % n));
                    any = any.or(pat3[pi].and(hit));
                }
                at[s][q] = reg(name + "_s4_at_" + s + "_" + q, 1, 0);
                assign(at[s][q], any.and(live3));
            }
        }
        // stage 5 (combinational part): value and index in the group by AND-OR over the positions
        for (int s = 0; s < keep; s++) {
            Expr v = Expr.zero(vw);
            Expr idx = Expr.zero(ib);
            for (int q = 0; q < mMax; q++) {
                v = v.or(at[s][q].select(vals4[q], Expr.zero(vw)));
                // q mod m under the pattern: the pattern one-hot picks the constant
                Expr local = Expr.zero(ib);
                for (int pi = 0; pi < sp.size(); pi++) {
                    local = local.or(pat4[pi].select(Expr.lit(ib, q % sp.get(pi).m()), Expr.zero(ib)));
                }
                idx = idx.or(at[s][q].select(local, Expr.zero(ib)));
            }
            outVals.add(v);
            outIdx.add(idx);
        }
    }

    /** Number of set bits of {@code bits} (a balanced adder tree), as an Expr wide enough. */
    private static Expr count(List<Expr> bits) {
        int w = Bits.widthFor(bits.size());
        List<Expr> level = new ArrayList<>();
        for (Expr b : bits) {
            level.add(b.zext(w));
        }
        while (level.size() > 1) {
            List<Expr> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                next.add(i + 1 < level.size() ? level.get(i).add(level.get(i + 1)) : level.get(i));
            }
            level = next;
        }
        return level.get(0);
    }

    /** {@code count(bits) < limit}. */
    private static Expr countBelow(List<Expr> bits, int limit) {
        if (bits.size() < limit) {
            return Expr.lit(1, 1);
        }
        Expr c = count(bits);
        return c.ltU(Expr.lit(c.width(), limit));
    }

    /** {@code count(bits) == value}. */
    private static Expr countEquals(List<Expr> bits, int value) {
        if (bits.isEmpty()) {
            return Expr.lit(1, value == 0 ? 1 : 0);
        }
        if (bits.size() < value) {
            return Expr.zero(1);
        }
        Expr c = count(bits);
        return c.eq(value);
    }

    /** |x| of an INT8 value as 8 unsigned bits (|-128| = 128). */
    private static Expr int8Key(Expr x) {
        return x.msb().select(x.neg(), x);
    }

    /** {@code Bf16.magnitudeKey}: 0 for zeros and subnormals, 0x7FFF for NaN, else the bits without sign. */
    private static Expr bf16Key(Expr x) {
        Expr exponent = x.slice(14, 7);
        Expr nan = exponent.eq(0xFF).and(x.slice(6, 0).ne(0));
        return exponent.eq(0).select(Expr.zero(15), nan.select(Expr.lit(15, 0x7FFF), x.slice(14, 0)));
    }
}
