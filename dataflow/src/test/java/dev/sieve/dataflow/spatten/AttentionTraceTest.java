package dev.sieve.dataflow.spatten;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trace reader reads SpAtten's CSV, skips the trailing config-path row, and names file, line and column on errors. */
class AttentionTraceTest {

    static final String HEADER = "iteration_id,layer_id,head_id,embedding_length_D,sentence_length_L,key_fetch_num,"
            + "quant_key_bit,quant_query_bit,auto_requant_thres,if_requant,auto_requant_incre,value_fetch_num,"
            + "quant_value_bit,if_accumulate_importance,if_rescale_previous_importance,if_topk,topk\n";

    @TempDir
    Path dir;

    private Path write(String body) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, HEADER + body);
        return f;
    }

    @Test
    void readsRowsAndSkipsTheConfigPathRow() throws Exception {
        Path f = write("0,0,0,64.0,993,993,6,16,0.05,True,4,204,6,True,False,False,-1\n"
                + "0,0,1,64.0,993,993,-1,-1,-1,False,-1,993,-1,True,False,False,-1\n"
                + "configs/gpt2/x.yml,,,,,,,,,,,,,,,,\n");
        AttentionTrace t = AttentionTrace.read(f);
        assertEquals(2, t.rows().size());
        TraceRow r = t.rows().get(0);
        assertEquals(64, r.headDim());
        assertEquals(993, r.sequenceLength());
        assertEquals(6, r.keyBits());
        assertTrue(r.requant());
        assertEquals(204, r.valuesFetched());
        assertEquals(2, r.line());
        assertFalse(t.rows().get(1).requant());
        assertEquals(2, t.heads());
        assertEquals(1, t.layers());
    }

    @Test
    void nonNumericFieldNamesFileLineAndColumn() throws Exception {
        Path f = write("0,0,0,64.0,993,993,6,16,0.05,True,4,204,6,True,False,False,-1\n"
                + "0,0,1,64.0,abc,993,6,16,0.05,True,4,204,6,True,False,False,-1\n");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> AttentionTrace.read(f));
        assertEquals(f + ":3: column 'sentence_length_L' = 'abc' is not a number; allowed 1 .. 1048576", e.getMessage());
    }

    @Test
    void missingFieldNamesTheColumn() throws Exception {
        Path f = write("0,0,0,64.0,993,993,6,16,0.05,True,4\n");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> AttentionTrace.read(f));
        assertEquals(f + ":2: column 'value_fetch_num' is missing", e.getMessage());
    }

    @Test
    void missingColumnInTheHeaderIsLineOne() throws Exception {
        Path f = dir.resolve("h.csv");
        Files.writeString(f, "iteration_id,layer_id\n0,0\n");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> AttentionTrace.read(f));
        assertEquals(f + ":1: missing column 'head_id'", e.getMessage());
    }

    @Test
    void moreValuesThanKeysIsTopKWithKAboveN() throws Exception {
        Path f = write("0,0,0,64.0,100,50,6,16,0.05,True,4,60,6,True,False,False,-1\n");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> AttentionTrace.read(f));
        assertEquals(f + ":2: column 'value_fetch_num' = 60 is more than key_fetch_num = 50 (top-k with k > n)",
                e.getMessage());
    }

    @Test
    void fractionalHeadDimIsRejected() throws Exception {
        Path f = write("0,0,0,64.5,100,50,6,16,0.05,True,4,20,6,True,False,False,-1\n");
        assertEquals(f + ":2: column 'embedding_length_D' = '64.5' is out of range; allowed a whole number 1 .. 65536",
                assertThrows(TraceFormatException.class, () -> AttentionTrace.read(f)).getMessage());
    }

    @Test
    void missingFileIsAnError() {
        Path f = dir.resolve("none.csv");
        assertEquals(f + ": no such file",
                assertThrows(dev.sieve.io.InputException.class, () -> AttentionTrace.read(f)).getMessage());
    }
}
