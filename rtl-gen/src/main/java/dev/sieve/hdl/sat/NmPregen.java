package dev.sieve.hdl.sat;

import dev.sieve.arch.NmPattern;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.hdl.Bits;
import dev.sieve.hdl.Component;
import dev.sieve.hdl.Expr;
import dev.sieve.hdl.Signal;
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
 * <p>Outputs, registered (one cycle of latency, reset to zero): line i (row i forward, column i
 * backward) has {@code keep} slots, slot g*N + n holding the n-th kept value of group g; slots past
 * the pattern's count are zero. {@code fwd_val}/{@code bwd_val} lane {@code i*keep + s},
 * {@code fwd_idx}/{@code bwd_idx} the same lanes of log2(Mmax) bits; {@code out_valid} follows
 * {@code in_valid}. {@code pattern} indexes {@link SatDatapath#sparsePatterns()} (out of range
 * means code 0). The ranking is a comparator matrix: Mmax(Mmax-1)/2 magnitude comparisons per line,
 * shared by every pattern.
 */
public final class NmPregen extends Component {
    public final Signal inValid;
    public final Signal pattern;
    public final Signal block;
    public final Signal outValid;
    public final Signal fwdVal;
    public final Signal fwdIdx;
    public final Signal bwdVal;
    public final Signal bwdIdx;

    private final Signal[] magnitude;

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

        Expr[] x = new Expr[mMax * mMax];
        magnitude = new Signal[mMax * mMax];
        for (int e = 0; e < x.length; e++) {
            x[e] = SatBus.lane(block, e, vw);
            magnitude[e] = named("magnitude_" + e, switch (dp.format()) {
                case INT8_INT32 -> int8Key(x[e]);
                case BF16_FP32 -> bf16Key(x[e]);
            });
        }

        List<Expr> fv = new ArrayList<>();
        List<Expr> fi = new ArrayList<>();
        List<Expr> bv = new ArrayList<>();
        List<Expr> bi = new ArrayList<>();
        for (int line = 0; line < mMax; line++) {
            Expr[] rowVals = new Expr[mMax];
            Expr[] rowKeys = new Expr[mMax];
            Expr[] colVals = new Expr[mMax];
            Expr[] colKeys = new Expr[mMax];
            for (int t = 0; t < mMax; t++) {
                rowVals[t] = x[line * mMax + t];
                rowKeys[t] = magnitude[line * mMax + t];
                colVals[t] = x[t * mMax + line];
                colKeys[t] = magnitude[t * mMax + line];
            }
            select("fwd_" + line, rowVals, rowKeys, sp, keep, ib, vw, fv, fi);
            select("bwd_" + line, colVals, colKeys, sp, keep, ib, vw, bv, bi);
        }

        Signal validQ = reg("valid_q", 1, 0);
        Signal fwdValQ = reg("fwd_val_q", fwdVal.width(), 0);
        Signal fwdIdxQ = reg("fwd_idx_q", fwdIdx.width(), 0);
        Signal bwdValQ = reg("bwd_val_q", bwdVal.width(), 0);
        Signal bwdIdxQ = reg("bwd_idx_q", bwdIdx.width(), 0);
        assign(validQ, inValid);
        assign(fwdValQ, SatBus.pack(fv));
        assign(fwdIdxQ, SatBus.pack(fi));
        assign(bwdValQ, SatBus.pack(bv));
        assign(bwdIdxQ, SatBus.pack(bi));
        assign(outValid, validQ);
        assign(fwdVal, fwdValQ);
        assign(fwdIdx, fwdIdxQ);
        assign(bwdVal, bwdValQ);
        assign(bwdIdx, bwdIdxQ);
    }

    /** Appends the {@code keep} (value, index) slots of one line, selected by {@code pattern}. */
    private void select(String name, Expr[] vals, Expr[] keys, List<NmPattern> sp, int keep, int ib, int vw,
                        List<Expr> outVals, List<Expr> outIdx) {
        int mMax = vals.length;
        // geq[a][b], a < b: element a ranks before element b (larger magnitude, or equal and lower index)
        Signal[][] geq = new Signal[mMax][mMax];
        for (int a = 0; a < mMax; a++) {
            for (int b = a + 1; b < mMax; b++) {
                geq[a][b] = named(name + "_ge_" + a + "_" + b, keys[a].geU(keys[b]));
            }
        }
        List<List<Expr>> slotVals = new ArrayList<>();
        List<List<Expr>> slotIdx = new ArrayList<>();
        for (int s = 0; s < keep; s++) {
            slotVals.add(new ArrayList<>());
            slotIdx.add(new ArrayList<>());
        }
        for (NmPattern p : sp) {
            int m = p.m();
            int n = p.n();
            int cw = Bits.widthFor(m);
            Expr[] vOut = new Expr[keep];
            Expr[] iOut = new Expr[keep];
            for (int g = 0; g < mMax / m; g++) {
                int base = g * m;
                Expr[] kept = new Expr[m];
                for (int t = 0; t < m; t++) {
                    Expr rank = Expr.zero(cw);
                    for (int a = 0; a < m; a++) {
                        if (a < t) {
                            rank = rank.add(geq[base + a][base + t].zext(cw));
                        } else if (a > t) {
                            rank = rank.add(geq[base + t][base + a].not().zext(cw));
                        }
                    }
                    kept[t] = rank.ltU(Expr.lit(cw, n));
                }
                for (int slot = 0; slot < n; slot++) {
                    Expr v = Expr.zero(vw);
                    Expr i = Expr.zero(ib);
                    Expr before = Expr.zero(cw); // kept elements before t
                    for (int t = 0; t < m; t++) {
                        Expr hit = kept[t].and(before.eq(slot));
                        v = v.or(hit.select(vals[base + t], Expr.zero(vw)));
                        i = i.or(hit.select(Expr.lit(ib, t), Expr.zero(ib)));
                        before = before.add(kept[t].zext(cw));
                    }
                    vOut[g * n + slot] = v;
                    iOut[g * n + slot] = i;
                }
            }
            for (int s = 0; s < keep; s++) {
                slotVals.get(s).add(vOut[s] != null ? vOut[s] : Expr.zero(vw));
                slotIdx.get(s).add(iOut[s] != null ? iOut[s] : Expr.zero(ib));
            }
        }
        for (int s = 0; s < keep; s++) {
            outVals.add(SatBus.byCode(pattern, slotVals.get(s)));
            outIdx.add(SatBus.byCode(pattern, slotIdx.get(s)));
        }
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
