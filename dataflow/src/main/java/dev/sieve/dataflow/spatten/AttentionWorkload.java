package dev.sieve.dataflow.spatten;



/**
 * The attention layers of a transformer run: {@code layers} layers of {@code heads} heads over a
 * model dimension split evenly into heads, and either {@code generatedTokens} generation steps of
 * one query each over the {@code promptTokens}-token prompt and the tokens generated so far (GPT-2,
 * as SpAtten's traces: step 0 sees 993 tokens), or, with no generated tokens, one summarization of
 * the prompt where every token is a query (BERT-style encoders). A generation run does not model
 * the prompt's own summarization, as SpAtten's traces and test bench do not.
 */
public record AttentionWorkload(String name, int layers, int heads, int modelDim, int promptTokens,
                                int generatedTokens) {

    public AttentionWorkload {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("workload name must not be blank");
        }
        range("layers", layers, 1, 1024);
        range("heads", heads, 1, 1024);
        range("model_dim", modelDim, 1, 1 << 16);
        if (modelDim % heads != 0) {
            throw new IllegalArgumentException("model_dim = " + modelDim + " does not divide into heads = " + heads
                    + "; the head dimension must be a whole number");
        }
        range("prompt_tokens", promptTokens, 1, 1 << 20);
        range("generated_tokens", generatedTokens, 0, 1 << 20);
    }

    public int headDim() {
        return modelDim / heads;
    }

    /** Generation steps, or 1 for a summarization. */
    public int iterations() {
        return Math.max(1, generatedTokens);
    }

    /** True for a BERT-style summarization (no generated tokens): every token is a query. */
    public boolean summarization() {
        return generatedTokens == 0;
    }

    /** Tokens visible at iteration {@code it}: the prompt plus one per step (GPT-2 traces: 993 .. 1024). */
    public int sequenceLength(int it) {
        return generatedTokens == 0 ? promptTokens : promptTokens + 1 + it;
    }

    /** Queries at iteration {@code it} before pruning: every prompt token in a summarization, one per generation step. */
    public int queries(int it) {
        return summarization() ? promptTokens : 1;
    }

    public static AttentionWorkload bertBase(int seqLen) {
        return new AttentionWorkload("bert-base", 12, 12, 768, seqLen, 0);
    }

    public static AttentionWorkload bertLarge(int seqLen) {
        return new AttentionWorkload("bert-large", 24, 16, 1024, seqLen, 0);
    }

    /** GPT-2 Small with the paper's 992-token prompt and 32 generated tokens. */
    public static AttentionWorkload gpt2Small() {
        return new AttentionWorkload("gpt2-small", 12, 12, 768, 992, 32);
    }

    /** GPT-2 Medium with the paper's 992-token prompt and 32 generated tokens. */
    public static AttentionWorkload gpt2Medium() {
        return new AttentionWorkload("gpt2-medium", 24, 16, 1024, 992, 32);
    }

    /** A preset by name: gpt2-small, gpt2-medium, bert-base, bert-large (BERT at {@code bertSeqLen}). */
    public static AttentionWorkload named(String name, int bertSeqLen) {
        return switch (name) {
            case "gpt2-small" -> gpt2Small();
            case "gpt2-medium" -> gpt2Medium();
            case "bert-base" -> bertBase(bertSeqLen);
            case "bert-large" -> bertLarge(bertSeqLen);
            default -> throw new IllegalArgumentException("unknown workload '" + name
                    + "'; allowed: gpt2-small, gpt2-medium, bert-base, bert-large");
        };
    }

    private static void range(String field, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(field + " = " + v + " is out of range; allowed " + lo + " .. " + hi);
        }
    }
}
