package dev.sieve.driver;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.NmPattern;
import dev.sieve.arch.NumberFormat;
import dev.sieve.arch.sat.SatConfig;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.sat.Pregeneration;
import dev.sieve.dataflow.workload.Layer;
import dev.sieve.sim.sat.PassStats;
import dev.sieve.sim.sat.SatModel;
import dev.sieve.sim.sat.TileTiming;
import java.util.HashMap;
import java.util.Map;

/**
 * The SAT accelerator as a device. Functionally each GEMM is what the array computes in BF16/FP32:
 * operands rounded to BF16 ({@link Bf16Rounding}), exact BF16 x BF16 products, FP32 sums with Sieve's
 * datapath rules ({@link dev.sieve.arch.fp.Fp32Ops}) in the array's reduction order: per output,
 * products of one segment tile ({@code Rs * kPerPe} reduction positions of the schedule the SAT model
 * chose for this pass) are added down the PE column onto a zero partial sum, and tile sums are added
 * in tile order onto a zero output (the output buffer). Pruned weights are not multiplied.
 *
 * <p>Speed: the values are computed by {@link GemmKernel} in Java {@code float}; an output takes the
 * bit-level {@link ExactGemm} path instead when its row of A and column of B could produce a product
 * or partial sum below 2^-126 (a nonzero multiple of the smallest product's quantum is never
 * subnormal: the exponents' sum test below) or a product at or above 2^128 (where a fused multiply-add would differ from
 * multiply-then-add), or hold an infinity or NaN. Elsewhere Java's arithmetic
 * and Sieve's agree bit for bit (tested), and NaNs are canonicalized.
 *
 * <p>Cost: each launch adds the cycles and energy {@link SatModel#pass} gives for its {@link PassGemm}
 * on this array (and, beside them, what the same pass would take dense); each pre-generation adds the
 * unit's busy cycles ({@link TileTiming#pregenCycles}, fused with the weight update).
 */
public final class SatDevice implements Device {
    /** Biased exponents of A's and B's smallest nonzero entries must sum to at least this for the fast path. */
    static final int MIN_EXPONENT_SUM = 142;
    /**
     * Biased exponents of A's and B's largest entries may sum to at most this for the fast path: then
     * every product is below 2^(380 - 252) = 2^128, so exact in FP32 (16 significant bits) and finite,
     * and a fused multiply-add rounds once exactly as multiply-then-add does.
     */
    static final int MAX_EXPONENT_SUM = 380;
    /** Weight gradients with at least this many output rows run as {@code C^T = B^T A^T} (see {@link #gemmSwapped}). */
    static final int SWAP_MIN_ROWS = 64;
    private static final int ZERO_KEY = 999;
    private static final int NONFINITE_KEY = -999;

    private final SatConfig config;
    private final EnergyTable energy;
    private final GemmKernel kernel;
    private final Map<PassGemm, PassStats> stats = new HashMap<>();
    private Counters counters = Counters.zero();
    private float[] scratchA = new float[0];
    private float[] scratchB = new float[0];
    private float[] scratchC = new float[0];

    public SatDevice(SatConfig config, int threads) {
        this(config, threads, GemmKernel.vectorAvailable() ? GemmKernel.Path.VECTOR : GemmKernel.Path.SCALAR);
    }

    /** A device whose host kernel takes the given code path (both give the same bits). */
    public SatDevice(SatConfig config, int threads, GemmKernel.Path path) {
        if (config.format() != NumberFormat.BF16_FP32) {
            throw new IllegalArgumentException("SAT device: format " + config.format().label()
                    + " is not supported for training; allowed: bf16");
        }
        this.config = config;
        this.energy = EnergyTable.horowitz45nm(config.format());
        this.kernel = new GemmKernel(threads, path);
    }

    /** The default training array: 32 x 32 PEs, 4 BF16 multipliers each, the default patterns and buffers. */
    public static SatConfig defaultConfig() {
        return SatConfig.of(32, 32).withFormat(NumberFormat.BF16_FP32);
    }

    /** The host kernel's code path. */
    public GemmKernel.Path kernelPath() {
        return kernel.path();
    }

    public SatConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "sat[" + config + "]";
    }

    @Override
    public Arithmetic arithmetic() {
        return Arithmetic.BF16_FP32;
    }

    /** The SAT model's statistics of {@code pass} on this array (its chosen schedule, cycles, energy). */
    public PassStats stats(PassGemm pass) {
        return stats.computeIfAbsent(pass, g -> SatModel.pass(config, energy, g));
    }

    @Override
    public int reductionTile(PassGemm pass) {
        return (int) Math.min(Integer.MAX_VALUE, stats(pass).schedule().kPerTile());
    }

    @Override
    public void gemm(PassGemm pass, Operand a, Matrix b, Matrix c) {
        Device.checkShapes(pass, a, b, c);
        int m = (int) pass.outputs();
        int k = (int) pass.reduction();
        int n = (int) pass.vectors();
        int kTile = reductionTile(pass);
        Matrix am = a.matrix();
        if (b.transposed() && a.keep() == null && !am.transposed() && m >= SWAP_MIN_ROWS
                && gemmSwapped(m, n, k, a, b, c, kTile)) {
            account(pass, 0);
            return;
        }
        int aLen = m * k;
        if (scratchA.length < aLen) {
            scratchA = new float[aLen];
        }
        long scanA = Bf16Rounding.roundAndScan(am.buffer().host(), scratchA, aLen);
        int ars = am.rowStride();
        int acs = am.colStride();
        int bLen = k * n;
        if (scratchB.length < bLen) {
            scratchB = new float[bLen];
        }
        float[] bs = b.buffer().host();
        long scanB = b.transposed() ? roundTransposed(bs, n, k, scratchB) : Bf16Rounding.roundAndScan(bs, scratchB, bLen);
        float[] out = c.buffer().host();
        kernel.run(m, n, k, scratchA, 0, ars, acs, scratchB, out, kTile);
        long exact = 0;
        if (!safe(scanA, scanB)) {
            int[] rowKey = new int[m];
            int[] rowMax = new int[m];
            for (int i = 0; i < m; i++) {
                int key = ZERO_KEY;
                int max = 0;
                for (int kk = 0; kk < k; kk++) {
                    float v = scratchA[i * ars + kk * acs];
                    key = Math.min(key, key(v));
                    max = Math.max(max, exponent(v));
                }
                rowKey[i] = key;
                rowMax[i] = max;
            }
            int[] colKey = new int[n];
            int[] colMax = new int[n];
            java.util.Arrays.fill(colKey, ZERO_KEY);
            for (int kk = 0; kk < k; kk++) {
                int base = kk * n;
                for (int j = 0; j < n; j++) {
                    colKey[j] = Math.min(colKey[j], key(scratchB[base + j]));
                    colMax[j] = Math.max(colMax[j], exponent(scratchB[base + j]));
                }
            }
            int minCol = ZERO_KEY;
            int maxCol = 0;
            for (int j = 0; j < n; j++) {
                minCol = Math.min(minCol, colKey[j]);
                maxCol = Math.max(maxCol, colMax[j]);
            }
            for (int i = 0; i < m; i++) {
                if (rowKey[i] + minCol >= MIN_EXPONENT_SUM && rowMax[i] + maxCol <= MAX_EXPONENT_SUM) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    if (rowKey[i] + colKey[j] < MIN_EXPONENT_SUM || rowMax[i] + colMax[j] > MAX_EXPONENT_SUM) {
                        out[i * n + j] = ExactGemm.one(Arithmetic.BF16_FP32, a, b, i, j, kTile);
                        exact++;
                    }
                }
            }
        }
        for (int i = 0; i < m * n; i++) {
            if (out[i] != out[i]) {
                out[i] = Float.NaN; // canonical 0x7FC00000
            }
        }
        account(pass, exact);
    }

    /**
     * The weight-gradient shape ({@code B} stored transposed, {@code A} dense and row-major) computed as
     * {@code C^T = B^T A^T}: {@code B}'s storage is then read as it lies and only {@code A}, the smaller
     * operand there ({@code dY}, F x P against the im2col matrix K x P), is transposed. Every output is
     * the same sum of the same products in the same order (products commute exactly), so the bits are
     * those of the direct form. Returns false, having computed nothing, when the operands leave the
     * fast path's safe range (the direct form then handles the exact fallback).
     */
    private boolean gemmSwapped(int m, int n, int k, Operand a, Matrix b, Matrix c, int kTile) {
        int len = m * k;
        if (scratchA.length < len) {
            scratchA = new float[len];
        }
        long scanA = roundTransposed(a.matrix().buffer().host(), m, k, scratchA); // A^T: k x m
        int bLen = k * n;
        if (scratchB.length < bLen) {
            scratchB = new float[bLen];
        }
        long scanB = Bf16Rounding.roundAndScan(b.buffer().host(), scratchB, bLen); // B^T: n x k as stored
        if (!safe(scanA, scanB)) {
            return false;
        }
        if (scratchC.length < m * n) {
            scratchC = new float[m * n];
        }
        kernel.run(n, m, k, scratchB, 0, k, 1, scratchA, scratchC, kTile); // C^T: n x m
        float[] out = c.buffer().host();
        for (int j0 = 0; j0 < n; j0 += 32) {
            int j1 = Math.min(n, j0 + 32);
            for (int i = 0; i < m; i++) {
                for (int j = j0; j < j1; j++) {
                    float v = scratchC[j * m + i];
                    out[i * n + j] = v != v ? Float.NaN : v;
                }
            }
        }
        return true;
    }

    /**
     * {@code dst[kk][j] = round(src[j][kk])} for a {@code rows x cols} source, in 32 x 32 blocks (cache
     * friendly); returns the extremes as {@link Bf16Rounding#roundAndScan} does.
     */
    static long roundTransposed(float[] src, int rows, int cols, float[] dst) {
        final int t = 32;
        int min = 0x7FFF_FFFF;
        int max = 0;
        for (int j0 = 0; j0 < rows; j0 += t) {
            int j1 = Math.min(rows, j0 + t);
            for (int k0 = 0; k0 < cols; k0 += t) {
                int k1 = Math.min(cols, k0 + t);
                for (int j = j0; j < j1; j++) {
                    int s = j * cols;
                    for (int kk = k0; kk < k1; kk++) {
                        int r = Bf16Rounding.roundBits(src[s + kk]);
                        dst[kk * rows + j] = Float.intBitsToFloat(r);
                        int mag = r & 0x7FFF_FFFF;
                        min = Math.min(min, (mag - 1) & 0x7FFF_FFFF);
                        max = Math.max(max, mag);
                    }
                }
            }
        }
        return (long) max << 32 | (min & 0xFFFF_FFFFL);
    }

    /**
     * True when no output can need the exact path: both operands finite, the smallest nonzero
     * magnitudes' biased exponents sum to at least {@link #MIN_EXPONENT_SUM} and the largest ones' to at
     * most {@link #MAX_EXPONENT_SUM}.
     */
    private static boolean safe(long ea, long eb) {
        int maxA = (int) (ea >>> 32);
        int maxB = (int) (eb >>> 32);
        if (maxA >= 0x7F80_0000 || maxB >= 0x7F80_0000) {
            return false;
        }
        int minA = (int) ea;
        int minB = (int) eb;
        if (minA == 0x7FFF_FFFF || minB == 0x7FFF_FFFF) {
            return true; // an all-zero operand: every product is zero
        }
        return ((minA + 1) >>> 23) + ((minB + 1) >>> 23) >= MIN_EXPONENT_SUM
                && (maxA >>> 23) + (maxB >>> 23) <= MAX_EXPONENT_SUM;
    }

    private static int exponent(float v) {
        return (Float.floatToRawIntBits(v) >>> 23) & 0xFF;
    }

    private static int key(float v) {
        int bits = Float.floatToRawIntBits(v) & 0x7FFF_FFFF;
        int e = bits >>> 23;
        return bits == 0 ? ZERO_KEY : e == 0xFF ? NONFINITE_KEY : e;
    }

    /** Adds one launch of {@code pass} to the counters (the model's cycles and energy), {@code exact} exact-path outputs. */
    void account(PassGemm pass, long exact) {
        PassStats s = stats(pass);
        PassStats d = pass.pattern().isDense() ? s : stats(withPattern(pass, NmPattern.DENSE));
        long[] cyc = counters.cycles().clone();
        long[] dense = counters.denseCycles().clone();
        cyc[pass.pass().ordinal()] += s.cycles();
        dense[pass.pass().ordinal()] += d.cycles();
        counters = new Counters(counters.launches() + 1, counters.pregens(), cyc, dense, counters.pregenCycles(),
                counters.macs() + s.macs(), counters.effectiveMacs() + s.effectiveMacs(),
                counters.energyPj() + s.energyPj(), counters.exactOutputs() + exact);
    }

    static PassGemm withPattern(PassGemm g, NmPattern p) {
        return new PassGemm(g.layer(), g.layerIndex(), g.pass(), g.reduction(), g.outputs(), g.vectors(), p,
                g.stationaryElements(), g.streamedElements(), g.outputElements(), g.transposable(),
                g.outputAtAccumulator());
    }

    @Override
    public NmWeights pregen(Layer layer, int layerIndex, DeviceBuffer w, NmPattern pattern, BackwardMaskSource source,
                            NmWeights into) {
        config.requireSupported(pattern);
        NmWeights out = PregenUnit.generate(this, layer.name(), w, layer.outputs(), layer.reduction(), pattern, source,
                true, into);
        accountPregen(layer, layerIndex, pattern);
        return out;
    }

    /** Adds one pre-generation of {@code layer} in {@code pattern} to the counters (the unit's busy cycles, energy). */
    void accountPregen(Layer layer, int layerIndex, NmPattern pattern) {
        Pregeneration.Cost cost = Pregeneration.cost(layer, layerIndex, pattern, config.format(), true);
        long busy = cost.groups() == 0 ? 0 : Math.max(TileTiming.pregenCycles(cost.groups(), config.cols()),
                TileTiming.dramCycles(cost.dramReadBytes() + cost.dramWriteBytes(), config.dramBytesPerCycle()));
        long bytes = cost.dramReadBytes() + cost.dramWriteBytes();
        counters = new Counters(counters.launches(), counters.pregens() + 1, counters.cycles(), counters.denseCycles(),
                counters.pregenCycles() + busy, counters.macs(), counters.effectiveMacs(),
                counters.energyPj() + bytes * (energy.sramPjPerByte() + energy.dramPjPerByte()), counters.exactOutputs());
    }

    @Override
    public Counters counters() {
        return counters;
    }

    /** Puts the counters back to {@code c} (to leave work such as evaluation out of a measurement). */
    public void setCounters(Counters c) {
        counters = c;
    }

    @Override
    public void resetCounters() {
        counters = Counters.zero();
    }

    @Override
    public void close() {
        kernel.close();
    }
}
