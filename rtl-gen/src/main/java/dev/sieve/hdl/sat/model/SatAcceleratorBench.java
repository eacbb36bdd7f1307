package dev.sieve.hdl.sat.model;

import dev.sieve.cosim.AxiMemory;
import dev.sieve.cosim.BuildOptions;
import dev.sieve.cosim.CompiledDesign;
import dev.sieve.cosim.VerilatedModel;
import dev.sieve.cosim.Verilator;
import dev.sieve.hdl.ModuleDef;
import dev.sieve.hdl.sat.SatAccelerator;
import dev.sieve.hdl.sat.SatAcceleratorLayout;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;

/**
 * A test bench for a Verilated {@link SatAccelerator}: a host that programs its AXI4-Lite registers
 * and a Java memory behind its AXI4 master port.
 *
 * <p>The memory accepts every read and write address at once ({@code arready = awready = wready = 1}),
 * returns a read burst's beats one per cycle starting {@code latency + 1} cycles after its address
 * (bursts in order), takes write bursts' data in the order of their addresses (an address may be
 * accepted while an earlier burst's beats still arrive), and answers a write burst
 * {@code latency + 1} cycles after its last beat: one
 * 16-byte beat per cycle in each direction (reads and writes at once) is its bandwidth, {@code latency} its extra delay in cycles.
 *
 * <p>That rule runs in one of two places. A design compiled with {@link #BUILD} (see
 * {@link #compile}) carries the same memory in native code ({@link AxiMemory}): a command then runs
 * in one native call and its contents move in bulk, which is what makes whole layers fast to
 * co-simulate. This class's Java memory ({@link #javaMemory}, and any design built without it)
 * is the reference of the rule; a test runs both on the same passes and compares cycles and bits.
 */
public final class SatAcceleratorBench {
    private static final int PAGE = 1 << 16;

    /** How the accelerator is compiled for this bench: the native AXI4 memory on {@code m_axi_*} until {@code irq}, fast Verilator flags. */
    public static final BuildOptions BUILD = BuildOptions.DEFAULT.withAxiMemory("m_axi_", "irq")
            .withVerilatorFlags(BuildOptions.FAST_FLAGS);

    private final VerilatedModel model;
    private final int latency;
    private final AxiMemory axi; // null: the Java memory serves the port
    private final Map<Long, byte[]> pages = new HashMap<>();
    private final ArrayDeque<long[]> readBeats = new ArrayDeque<>(); // {ready cycle, address, last}
    private final ArrayDeque<Long> writeResponses = new ArrayDeque<>();
    private final ArrayDeque<Long> writeAddresses = new ArrayDeque<>(); // accepted, their data not yet begun
    private long writeAddress;
    private boolean inWriteBurst;
    private long now;

    private final int arvalid, araddr, arlen, rready, rvalid, rdata, rlast, awvalid, awaddr, wvalid, wdata,
            wlast, bvalid, bready, irq;

    /** Outcome of one command: the status bits, the CYCLES register and the cycles from start to done. */
    public record Run(boolean error, long busyCycles, long observedCycles) {
    }

    /** Compiles (or reuses) the accelerator {@code top} with {@link #BUILD}. */
    public static CompiledDesign compile(ModuleDef top) {
        return Verilator.compile(top, BUILD);
    }

    /** Compiles (or reuses) the accelerator's Verilog {@code files} with {@link #BUILD}. */
    public static CompiledDesign compile(List<Path> files, String top) {
        return Verilator.compile(files, top, BUILD);
    }

    /**
     * A bench whose memory is served in native code when {@code model}'s design was built with one
     * ({@link #BUILD}), else by this class's Java memory.
     */
    public SatAcceleratorBench(VerilatedModel model, int latency) {
        this(model, latency, AxiMemory.builtInto(model.design()));
    }

    /** A bench whose memory is this class's Java memory, the reference of the timing rule, whatever the build. */
    public static SatAcceleratorBench javaMemory(VerilatedModel model, int latency) {
        return new SatAcceleratorBench(model, latency, false);
    }

    private SatAcceleratorBench(VerilatedModel model, int latency, boolean nativeMemory) {
        if (latency < 0) {
            throw new IllegalArgumentException("latency = " + latency + " is out of range; allowed >= 0");
        }
        this.model = model;
        this.latency = latency;
        applied = new long[model.ports().size()];
        arvalid = model.portIndex("m_axi_arvalid");
        araddr = model.portIndex("m_axi_araddr");
        arlen = model.portIndex("m_axi_arlen");
        rready = model.portIndex("m_axi_rready");
        rvalid = model.portIndex("m_axi_rvalid");
        rdata = model.portIndex("m_axi_rdata");
        rlast = model.portIndex("m_axi_rlast");
        awvalid = model.portIndex("m_axi_awvalid");
        awaddr = model.portIndex("m_axi_awaddr");
        wvalid = model.portIndex("m_axi_wvalid");
        wdata = model.portIndex("m_axi_wdata");
        wlast = model.portIndex("m_axi_wlast");
        bvalid = model.portIndex("m_axi_bvalid");
        bready = model.portIndex("m_axi_bready");
        irq = model.portIndex("irq");
        this.axi = nativeMemory ? new AxiMemory(model, latency) : null;
        model.reset(2);
        model.poke("m_axi_arready", 1);
        model.poke("m_axi_awready", 1);
        model.poke("m_axi_wready", 1);
        model.poke("s_axil_bready", 1);
        model.poke("s_axil_rready", 1);
        model.poke("s_axil_wstrb", 0xF);
    }

    /** True when the memory is served in native code ({@link AxiMemory}), false for the Java memory. */
    public boolean nativeMemory() {
        return axi != null;
    }

    /** Copies {@code bytes} into memory at {@code address}. */
    public void write(long address, byte[] bytes) {
        if (axi != null) {
            axi.write(address, bytes);
            return;
        }
        for (int i = 0; i < bytes.length; i++) {
            page(address + i)[(int) ((address + i) % PAGE)] = bytes[i];
        }
    }

    /** {@code length} bytes of memory from {@code address}. */
    public byte[] read(long address, int length) {
        if (axi != null) {
            return axi.read(address, length);
        }
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = page(address + i)[(int) ((address + i) % PAGE)];
        }
        return out;
    }

    private byte[] page(long address) {
        return pages.computeIfAbsent(address / PAGE, p -> new byte[PAGE]);
    }

    /** Writes register {@code offset} through AXI4-Lite (address and data in one cycle). */
    public void writeRegister(int offset, long value) {
        model.poke("s_axil_awaddr", offset);
        model.poke("s_axil_wdata", value & 0xFFFF_FFFFL);
        model.poke("s_axil_awvalid", 1);
        model.poke("s_axil_wvalid", 1);
        model.eval();
        if (model.peekLong("s_axil_awready") != 1) {
            throw new IllegalStateException("register write to 0x" + Integer.toHexString(offset) + " not accepted");
        }
        clock();
        model.poke("s_axil_awvalid", 0);
        model.poke("s_axil_wvalid", 0);
        clock(); // the write response
    }

    /** Reads register {@code offset} through AXI4-Lite. */
    public long readRegister(int offset) {
        model.poke("s_axil_araddr", offset);
        model.poke("s_axil_arvalid", 1);
        model.eval();
        clock();
        model.poke("s_axil_arvalid", 0);
        model.eval();
        long v = model.peekLong("s_axil_rdata");
        clock();
        return v;
    }

    /** Programs {@code c}, starts it with interrupts on and runs until {@code irq}. */
    public Run run(SatAcceleratorLayout.Command c, long maxCycles) {
        writeRegister(SatAccelerator.REG_VECTORS, c.vectors());
        writeRegister(SatAccelerator.REG_K_TILES, c.kTiles());
        writeRegister(SatAccelerator.REG_COL_TILES, c.colTiles());
        writeRegister(SatAccelerator.REG_CHUNK, c.chunk());
        writeRegister(SatAccelerator.REG_MODE, (c.patternCode() & 0xF) | (c.segmentsCode() & 0xF) << 4
                | (c.inputStationary() ? 1 << 8 : 0));
        writeRegister(SatAccelerator.REG_W_ADDR, c.wAddr());
        writeRegister(SatAccelerator.REG_X_ADDR, c.xAddr());
        writeRegister(SatAccelerator.REG_Y_ADDR, c.yAddr());
        return startAndWait(maxCycles);
    }

    private Run startAndWait(long maxCycles) {
        model.poke("s_axil_awaddr", SatAccelerator.REG_CONTROL);
        model.poke("s_axil_wdata", 3);
        model.poke("s_axil_awvalid", 1);
        model.poke("s_axil_wvalid", 1);
        model.eval();
        clock();
        long started = now;
        model.poke("s_axil_awvalid", 0);
        model.poke("s_axil_wvalid", 0);
        if (axi != null) {
            long n = axi.serve(now, maxCycles);
            if (n < 0) {
                throw new IllegalStateException("no completion after " + maxCycles + " cycles");
            }
            now += n;
        }
        while (axi == null) {
            model.eval();
            if (model.peekLong(irq) == 1) {
                break;
            }
            if (now - started > maxCycles) {
                throw new IllegalStateException("no completion after " + maxCycles + " cycles");
            }
            cycle();
        }
        long observed = now - started;
        long status = readRegister(SatAccelerator.REG_STATUS);
        long busy = readRegister(SatAccelerator.REG_CYCLES);
        writeRegister(SatAccelerator.REG_CONTROL, 0);
        return new Run((status & 4) != 0, busy, observed);
    }

    /** Programs pre-generation command {@code c}, starts it with interrupts on and runs until {@code irq}. */
    public Run run(SatAcceleratorLayout.Pregen c, long maxCycles) {
        writeRegister(SatAccelerator.REG_VECTORS, c.blocks());
        writeRegister(SatAccelerator.REG_MODE, (c.patternCode() & 0xF) | 1 << 12);
        writeRegister(SatAccelerator.REG_W_ADDR, c.wAddr());
        writeRegister(SatAccelerator.REG_Y_ADDR, c.yAddr());
        return startAndWait(maxCycles);
    }

    /** One cycle with the memory answering the master port (inputs poked only when they change). */
    private void cycle() {
        long[] head = readBeats.peekFirst();
        boolean beat = head != null && head[0] <= now;
        set(rvalid, beat ? 1 : 0);
        if (beat) {
            set(rlast, head[2]);
            model.poke(rdata, beatAt(head[1]));
        }
        Long resp = writeResponses.peekFirst();
        boolean b = resp != null && resp <= now;
        set(bvalid, b ? 1 : 0);
        if (beat && model.peekLong(rready) == 1) {
            readBeats.removeFirst();
        }
        if (b && model.peekLong(bready) == 1) {
            writeResponses.removeFirst();
        }
        if (model.peekLong(arvalid) == 1) {
            long a = model.peekLong(araddr);
            int beats = (int) model.peekLong(arlen) + 1;
            long first = Math.max(now + 1 + latency, readBeats.isEmpty() ? 0 : readBeats.peekLast()[0] + 1);
            for (int i = 0; i < beats; i++) {
                readBeats.addLast(new long[] {first + i, a + 16L * i, i == beats - 1 ? 1 : 0});
            }
        }
        if (model.peekLong(awvalid) == 1) {
            writeAddresses.addLast(model.peekLong(awaddr));
        }
        if (model.peekLong(wvalid) == 1) {
            if (!inWriteBurst) {
                writeAddress = writeAddresses.removeFirst();
                inWriteBurst = true;
            }
            byte[] be = model.peek(wdata).toByteArray();
            byte[] pageBytes = page(writeAddress);
            int off = (int) (writeAddress % PAGE);
            for (int i = 0; i < 16; i++) {
                int src = be.length - 1 - i;
                pageBytes[off + i] = src >= 0 ? be[src] : 0;
            }
            writeAddress += 16;
            if (model.peekLong(wlast) == 1) {
                writeResponses.addLast(now + 1 + latency);
                inWriteBurst = false;
            }
        }
        clock();
    }

    /** Per input port: the value last poked by {@link #set}, plus one (0 = never). */
    private final long[] applied;

    /** Pokes a narrow input only when its value changes. */
    private void set(int port, long value) {
        if (applied[port] != value + 1) {
            model.poke(port, value);
            applied[port] = value + 1;
        }
    }

    /** The 16 bytes at {@code address} (16-byte aligned, so inside one page) as a little-endian beat. */
    private BigInteger beatAt(long address) {
        byte[] p = page(address);
        int off = (int) (address % PAGE);
        byte[] be = new byte[17];
        for (int i = 0; i < 16; i++) {
            be[16 - i] = p[off + i];
        }
        return new BigInteger(be);
    }

    private void clock() {
        model.step(1);
        now++;
    }
}
