package dev.sieve.dataflow.spatten;



/**
 * One (generation step, layer, head) of a SpAtten trace: what that head fetched.
 *
 * @param iteration        generation step (0: the first generated token, over the whole prompt)
 * @param layer            layer index
 * @param head             head index
 * @param headDim          head dimension D
 * @param sequenceLength   tokens so far, L
 * @param keysFetched      keys kept after cascade token pruning
 * @param keyBits          K bits fetched first (MSBs); -1 = not quantized (full word)
 * @param queryBits        Q bits; -1 = not quantized
 * @param requantThreshold tau; -1 = none
 * @param requant          progressive quantization on
 * @param requantBits      LSB bits refetched; -1 = none
 * @param valuesFetched    V rows kept after local V pruning
 * @param valueBits        V bits fetched; -1 = not quantized
 * @param line             line of the source file (1-based; 0 for synthesized rows)
 */
public record TraceRow(int iteration, int layer, int head, int headDim, int sequenceLength, int keysFetched,
                       int keyBits, int queryBits, double requantThreshold, boolean requant, int requantBits,
                       int valuesFetched, int valueBits, int line) {
}
