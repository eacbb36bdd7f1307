package dev.sieve.arch;

import dev.sieve.arch.EnergyTable.Entry;
import dev.sieve.io.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The table's defaults against its sources, the node scaling rule, and the override file. */
class EnergyTableTest {

    @TempDir
    Path tmp;

    @Test
    void satsViewKeepsTheHorowitzNumbersItAlwaysHad() {
        // Horowitz ISSCC 2014, 45 nm: 8b mult 0.2 + 32b add 0.1; fp16 mult 1.1 + fp32 add 0.9;
        // 32 KB SRAM 20 pJ per 64 bits; DRAM 1.3 nJ per 64 bits
        EnergyTable int8 = EnergyTable.horowitz45nm(NumberFormat.INT8_INT32);
        assertEquals(0.3, int8.macPj(), 1e-12);
        assertEquals(2.0, EnergyTable.horowitz45nm(NumberFormat.BF16_FP32).macPj(), 1e-12);
        assertEquals(2.5, int8.sramPjPerByte(), 0);
        assertEquals(162.5, int8.dramPjPerByte(), 0);
    }

    @Test
    void derivedEntriesFollowTheirStatedArithmetic() {
        EnergyTable t = EnergyTable.defaults();
        assertEquals(0.2 * 2.25 + 0.1, t.pj(Entry.MAC_INT12), 1e-12, "(12/8)^2 x 0.2 pJ + 0.1 pJ = 0.55 pJ");
        assertEquals(4.6, t.pj(Entry.MAC_FP32), 1e-12, "3.7 + 0.9");
        assertEquals(31.2, t.pj(Entry.HBM), 1e-12, "3.9 pJ/bit x 8");
        assertEquals(40.1, t.pj(Entry.ATOMIC), 1e-12, "2 x 20 pJ + 0.1 pJ");
        assertEquals(1.6, t.pj(Entry.NETWORK_HOP), 1e-12, "0.1 pJ/bit/mm x 2 mm x 8 bit");
        assertEquals(1.25, t.pj(Entry.CACHE), 1e-12, "10 pJ / 8 B");
    }

    @Test
    void scalingTo40nmMultipliesOnChipEntriesBy40Over45AndLeavesMemoryAlone() {
        EnergyTable t = EnergyTable.defaults().scaledTo(40);
        assertEquals(2.5 * 40 / 45, t.pj(Entry.SRAM), 1e-12);
        assertEquals(0.55 * 40 / 45, t.pj(Entry.MAC_INT12), 1e-12);
        assertEquals(0.04 * 40 / 45, t.pj(Entry.TOPK_COMPARE), 1e-12);
        assertEquals(31.2, t.pj(Entry.HBM), 0, "HBM is off-chip");
        assertEquals(162.5, t.pj(Entry.DRAM), 0, "DRAM is off-chip");
        assertEquals(0.8888888888888888, EnergyTable.factorFrom45nm(40), 1e-15);
    }

    @Test
    void aFileOverridesTheEntriesItNames() throws Exception {
        Path f = tmp.resolve("e.txt");
        Files.writeString(f, "# my process\nhbm_pJ_per_byte = 24   # 3 pJ/bit\n\nsram_pJ_per_byte=1.5e0\n");
        Map<Entry, Double> o = EnergyTable.read(f);
        assertEquals(Map.of(Entry.HBM, 24.0, Entry.SRAM, 1.5), o);
        EnergyTable t = EnergyTable.defaults().with(o);
        assertEquals(24.0, t.pj(Entry.HBM), 0);
        assertEquals(0.3, t.pj(Entry.MAC_INT8_INT32), 1e-12, "not named: the default");
    }

    @Test
    void badFilesNameFileLineAndKey() throws Exception {
        Path f = tmp.resolve("bad.txt");
        Files.writeString(f, "hbm_pJ_per_byte = 24\nhbm_pj = 3\n");
        InputException e = assertThrows(InputException.class, () -> EnergyTable.read(f));
        assertEquals(f + ":2: hbm_pj: unknown key; allowed: mac_int8_int32_pJ, mac_bf16_fp32_pJ, mac_int12_pJ, "
                + "mac_fp32_pJ, int_op_pJ, sram_pJ_per_byte, spad_pJ_per_byte, cache_pJ_per_byte, dram_pJ_per_byte, "
                + "hbm_pJ_per_byte, topk_compare_pJ, hash_probe_pJ, atomic_pJ, network_hop_pJ_per_byte", e.getMessage());
        Files.writeString(f, "\nsram_pJ_per_byte = -1\n");
        e = assertThrows(InputException.class, () -> EnergyTable.read(f));
        assertEquals(f + ":2: sram_pJ_per_byte: value '-1' is not allowed; allowed a finite number >= 0 (pJ)",
                e.getMessage());
        Files.writeString(f, "sram_pJ_per_byte = 1\nsram_pJ_per_byte = 2\n");
        assertEquals(f + ":2: sram_pJ_per_byte: is given twice",
                assertThrows(InputException.class, () -> EnergyTable.read(f)).getMessage());
        Files.writeString(f, "sram_pJ_per_byte 1\n");
        assertEquals(f + ":1: expected 'key = value'; allowed keys: " + String.join(", ",
                java.util.Arrays.stream(Entry.values()).map(Entry::key).toList()),
                assertThrows(InputException.class, () -> EnergyTable.read(f)).getMessage());
        assertEquals(tmp.resolve("none.txt") + ": --energy-table: no such file",
                assertThrows(InputException.class, () -> EnergyTable.read(tmp.resolve("none.txt"))).getMessage());
    }
}
