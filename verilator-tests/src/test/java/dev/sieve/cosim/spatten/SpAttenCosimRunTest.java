package dev.sieve.cosim.spatten;

import dev.sieve.sim.cli.Simulate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code simulate cosim spatten} on a small trace in the released format: every row (one query
 * each) runs through the Verilated pipeline beside its model, and the command ends with
 * {@code cosim-spatten: queries=Q cycle_exact=Q bit_exact=Q wall_s=W}. The hardware options name
 * the P = 64 design {@link SpAttenPipelineCosimTest} compiles, so no other design is built.
 */
class SpAttenCosimRunTest {

    @TempDir
    Path tmp;

    @Test
    void traceRowsRunBitAndCycleExactAndTheLastLineSaysSo() throws Exception {
        StringBuilder b = new StringBuilder("iteration_id,layer_id,head_id,embedding_length_D,sentence_length_L,"
                + "key_fetch_num,quant_key_bit,quant_query_bit,auto_requant_thres,if_requant,auto_requant_incre,"
                + "value_fetch_num,quant_value_bit,if_accumulate_importance,if_rescale_previous_importance,if_topk,topk\n");
        // generation rows: 6-bit K with tau 0.05 and local V; 12-bit K keeping every value; a strict tau
        b.append("1,0,0,64.0,300,300,6,16,0.05,True,4,60,6,True,False,False,-1\n");
        b.append("1,0,1,64.0,300,300,-1,-1,-1,False,-1,300,-1,True,False,False,-1\n");
        b.append("1,1,0,64.0,300,120,6,16,0.9,True,4,24,6,True,False,False,-1\n");
        b.append("2,0,0,64.0,1024,1024,8,16,0.05,True,4,204,8,True,False,False,-1\n");
        b.append("configs/x.yml,,,,,,,,,,,,,,,,\n");
        Path trace = tmp.resolve("t.csv");
        Files.writeString(trace, b.toString());
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = Simulate.run("cosim", "spatten", "--trace", trace.toString(), "--qk-multipliers", "64",
                    "--pv-multipliers", "64", "--topk-comparators", "8", "--max-n", "1024");
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(0, exit, text);
        List<String> lines = text.lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("cosim-spatten: queries=4 cycle_exact=4 bit_exact=4 wall_s=[0-9.]+"), last);
        assertTrue(text.contains("queries refetched their LSBs"), text);
    }
}
