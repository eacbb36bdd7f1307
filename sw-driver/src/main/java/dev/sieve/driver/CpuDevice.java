package dev.sieve.driver;

import dev.sieve.arch.NmPattern;
import dev.sieve.dataflow.sat.BackwardMaskSource;
import dev.sieve.dataflow.sat.PassGemm;
import dev.sieve.dataflow.workload.Layer;
import java.util.function.ToIntFunction;

/**
 * The plain CPU reference: every GEMM by {@link ExactGemm}, one output at a time, in a chosen
 * arithmetic and reduction order (by default FP32 and one tile, a left-to-right sum). No cycles.
 */
public final class CpuDevice implements Device {
    private final Arithmetic arithmetic;
    private final ToIntFunction<PassGemm> tile;
    private Counters counters = Counters.zero();

    /** {@code tile} gives the reduction tile of each pass (the order of the sums). */
    public CpuDevice(Arithmetic arithmetic, ToIntFunction<PassGemm> tile) {
        this.arithmetic = arithmetic;
        this.tile = tile;
    }

    /** FP32, left-to-right sums. */
    public static CpuDevice fp32() {
        return new CpuDevice(Arithmetic.FP32, p -> (int) p.reduction());
    }

    @Override
    public String name() {
        return "cpu[" + arithmetic + "]";
    }

    @Override
    public Arithmetic arithmetic() {
        return arithmetic;
    }

    @Override
    public int reductionTile(PassGemm pass) {
        return Math.max(1, tile.applyAsInt(pass));
    }

    @Override
    public void gemm(PassGemm pass, Operand a, Matrix b, Matrix c) {
        Device.checkShapes(pass, a, b, c);
        ExactGemm.run(arithmetic, a, b, c, reductionTile(pass));
        counters = new Counters(counters.launches() + 1, counters.pregens(), counters.cycles(), counters.denseCycles(), 0,
                counters.macs() + pass.macs(), counters.effectiveMacs() + pass.effectiveMacs(), 0, 0);
    }

    @Override
    public NmWeights pregen(Layer layer, int layerIndex, DeviceBuffer w, NmPattern pattern, BackwardMaskSource source,
                            NmWeights into) {
        counters = new Counters(counters.launches(), counters.pregens() + 1, counters.cycles(), counters.denseCycles(), 0,
                counters.macs(), counters.effectiveMacs(), 0, 0);
        return PregenUnit.generate(this, layer.name(), w, layer.outputs(), layer.reduction(), pattern, source,
                arithmetic == Arithmetic.BF16_FP32, into);
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public void resetCounters() {
        counters = Counters.zero();
    }
}
