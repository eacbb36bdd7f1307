package dev.sieve.sim.piuma;

import dev.sieve.arch.EnergyTable;
import dev.sieve.arch.EnergyTable.Entry;
import dev.sieve.arch.piuma.PiumaConfig;
import dev.sieve.dataflow.piuma.Op;
import java.util.List;

/**
 * Energy of one PIUMA SpGEMM simulation from the counters the model keeps, with {@link EnergyTable}'s
 * default entries at their 45 nm sources (PIUMA's node is not used to scale them; see README):
 * <pre>
 * dram_energy_pJ    = (DRAM read + write bytes)                       x dram_pJ_per_byte
 * cache_energy_pJ   = ((hits + misses) x access bytes + misses x line) x cache_pJ_per_byte
 * spad_energy_pJ    = (scratchpad loads + stores) x 8 B                x spad_pJ_per_byte
 * atomic_energy_pJ  = atomic-unit operations                          x atomic_pJ
 * hash_energy_pJ    = hash probes                                     x hash_probe_pJ
 * network_energy_pJ = remote operations x 2 traversals x 16 B         x network_hop_pJ_per_byte
 * core_energy_pJ    = pipeline issue slots                            x int_op_pJ
 * fp_energy_pJ      = multiply-adds of the product (flops)            x mac_fp32_pJ
 * energy_pJ         = the sum
 * </pre>
 * A remote operation is a request and a reply of one 8-byte word with an 8-byte header, over one hop
 * each way (the model's network is one hop of {@code network_latency_cycles}). A scratchpad
 * operation is charged one word (multi-word ones are counted once, a lower bound). A sampled run's
 * counters are the sample's; they are scaled by the run's scale, as its cycles are; flops are the
 * whole product's. The hash unit's slot accesses are scratchpad or atomic operations and are charged
 * there; {@code hash_probe_pJ} is its logic.
 */
public record PiumaEnergy(double dramPj, double cachePj, double spadPj, double atomicPj, double hashPj,
                          double networkPj, double corePj, double fpPj) {

    /** Bytes a remote operation moves per traversal: an 8-byte word and an 8-byte header. */
    public static final int REMOTE_BYTES = 16;

    /** Report columns, in the order of {@link #values()}. */
    public static final List<String> COLUMNS = List.of("dram_energy_pJ", "cache_energy_pJ", "spad_energy_pJ",
            "atomic_energy_pJ", "hash_energy_pJ", "network_energy_pJ", "core_energy_pJ", "fp_energy_pJ", "energy_pJ");

    public double totalPj() {
        return dramPj + cachePj + spadPj + atomicPj + hashPj + networkPj + corePj + fpPj;
    }

    /** Components and total, in the order of {@link #COLUMNS}. */
    public List<Object> values() {
        return List.of(dramPj, cachePj, spadPj, atomicPj, hashPj, networkPj, corePj, fpPj, totalPj());
    }

    /** The energy of {@code r} on {@code cfg} under {@code t}. */
    public static PiumaEnergy of(SpgemmSimulation.Result r, PiumaConfig cfg, EnergyTable t) {
        PiumaStats s = r.stats();
        double k = r.scale();
        double cacheBytes = (double) (s.cacheHits() + s.cacheMisses()) * cfg.dramAccessBytes()
                + (double) s.cacheMisses() * cfg.cacheLineBytes();
        double spadOps = s.ops(Op.SPAD_LOAD) + s.ops(Op.SPAD_STORE);
        return new PiumaEnergy(
                k * (s.dramReadBytes() + s.dramWriteBytes()) * t.pj(Entry.DRAM),
                k * cacheBytes * t.pj(Entry.CACHE),
                k * spadOps * 8 * t.pj(Entry.SPAD),
                k * s.atomicUnitOps() * t.pj(Entry.ATOMIC),
                k * r.hashProbes() * t.pj(Entry.HASH_PROBE),
                k * s.remoteOps() * 2.0 * REMOTE_BYTES * t.pj(Entry.NETWORK_HOP),
                k * s.issueSlots() * t.pj(Entry.INT_OP),
                r.flops() * t.pj(Entry.MAC_FP32));
    }
}
