// Sieve co-simulation wrapper: a flat C ABI over one Verilated model (class Vmodel).
// The Java side (dev.sieve.cosim) fills the @...@ slots; everything else is fixed text.
//
// Timing convention (one "cycle", designs clocked on the rising edge of `clk`):
//   1. the cycle's inputs are written while clk is still high from the previous cycle,
//   2. clk = 0, eval        (VCD time 2k:   falling edge, new inputs visible),
//   3. clk = 1, eval        (VCD time 2k+1: rising edge, registers capture the inputs),
//   4. outputs are sampled  (after the rising edge, inputs still applied).
// A design without `clk` is purely combinational: a cycle is "write inputs, eval, sample".
// Ports travel as little-endian arrays of 64-bit words, ceil(width / 64) words per port;
// bits above a port's width are cleared on the way in.
// VCD waveforms need a model Verilated with --trace (VM_TRACE = 1, set by Verilator's makefile);
// the harness builds without it by default and builds a traced copy only when a waveform is asked for.

#include "Vmodel.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif
#include "sieve_ports.h"

#include <cstdint>

#define SIEVE_API extern "C" __attribute__((visibility("default")))

namespace {

using sieve::get;
using sieve::put;

struct PortInfo {
    const char* name;
    int width;
    int dir;  // 0 input, 1 output, 2 inout
};

const PortInfo PORTS[] = {
@PORT_TABLE@
};
const int PORT_COUNT = @PORT_COUNT@;
const int CLOCK_PORT = @CLOCK_PORT@;  // -1: no clock
const int RESET_PORT = @RESET_PORT@;  // -1: no reset
const int IN_FRAME_WORDS = @IN_FRAME_WORDS@;
const int OUT_FRAME_WORDS = @OUT_FRAME_WORDS@;

struct Instance {
    VerilatedContext* ctx;
    Vmodel* top;
#if VM_TRACE
    VerilatedVcdC* vcd;
#endif
    uint64_t time;  // VCD time: two units per cycle
    bool dirty;     // inputs written since the last eval
};

void set_port(Vmodel* m, int port, const uint64_t* w) {
    switch (port) {
@SET_CASES@
    default: break;
    }
}

void get_port(Vmodel* m, int port, uint64_t* w) {
    switch (port) {
@GET_CASES@
    default: break;
    }
}

inline void apply_inputs(Vmodel* m, const uint64_t* in) {
    (void)m; (void)in;
@APPLY_INPUTS@
}

inline void sample_outputs(Vmodel* m, uint64_t* out) {
    (void)m; (void)out;
@SAMPLE_OUTPUTS@
}

inline void settle(Instance* s) {
    if (s->dirty) {
        s->top->eval();
        s->dirty = false;
    }
}

// One cycle as documented at the top of this file.
inline void cycle(Instance* s) {
    Vmodel* m = s->top;
#if @HAS_CLOCK@
    m->@CLOCK_FIELD@ = 0;
    m->eval();
#if VM_TRACE
    if (s->vcd) s->vcd->dump(s->time);
#endif
    m->@CLOCK_FIELD@ = 1;
    m->eval();
#if VM_TRACE
    if (s->vcd) s->vcd->dump(s->time + 1);
#endif
#else
    m->eval();
#if VM_TRACE
    if (s->vcd) s->vcd->dump(s->time);
#endif
#endif
    s->time += 2;
    s->dirty = false;
}

}  // namespace

SIEVE_API int sieve_abi_version() { return 2; }
SIEVE_API int sieve_port_count() { return PORT_COUNT; }
SIEVE_API const char* sieve_port_name(int p) { return (p >= 0 && p < PORT_COUNT) ? PORTS[p].name : nullptr; }
SIEVE_API int sieve_port_width(int p) { return (p >= 0 && p < PORT_COUNT) ? PORTS[p].width : -1; }
SIEVE_API int sieve_port_dir(int p) { return (p >= 0 && p < PORT_COUNT) ? PORTS[p].dir : -1; }
SIEVE_API int sieve_clock_port() { return CLOCK_PORT; }
SIEVE_API int sieve_reset_port() { return RESET_PORT; }
SIEVE_API int sieve_in_frame_words() { return IN_FRAME_WORDS; }
SIEVE_API int sieve_out_frame_words() { return OUT_FRAME_WORDS; }

SIEVE_API void* sieve_create() {
    Instance* s = new Instance();
    s->ctx = new VerilatedContext();
#if VM_TRACE
    s->ctx->traceEverOn(true);
#endif
    s->top = new Vmodel(s->ctx, "TOP");
#if VM_TRACE
    s->vcd = nullptr;
#endif
    s->time = 0;
#if @HAS_CLOCK@
    s->top->@CLOCK_FIELD@ = 0;
#endif
    s->top->eval();
    s->dirty = false;
    return s;
}

// 1 when this library was Verilated with --trace (sieve_trace_open can write a waveform), else 0.
SIEVE_API int sieve_has_trace() { return VM_TRACE ? 1 : 0; }

SIEVE_API void sieve_trace_close(void* h) {
#if VM_TRACE
    Instance* s = static_cast<Instance*>(h);
    if (s->vcd) {
        s->vcd->close();
        delete s->vcd;
        s->vcd = nullptr;
    }
#else
    (void)h;
#endif
}

SIEVE_API void sieve_destroy(void* h) {
    Instance* s = static_cast<Instance*>(h);
    sieve_trace_close(h);
    s->top->final();
    delete s->top;
    delete s->ctx;
    delete s;
}

// Returns 0 on success, 1 when this instance has traced before (one waveform per instance),
// 2 when the library was built without --trace.
SIEVE_API int sieve_trace_open(void* h, const char* path) {
#if VM_TRACE
    Instance* s = static_cast<Instance*>(h);
    if (s->vcd) return 1;
    s->vcd = new VerilatedVcdC();
    s->top->trace(s->vcd, 99);
    s->vcd->open(path);
    settle(s);
    return 0;
#else
    (void)h; (void)path;
    return 2;
#endif
}

SIEVE_API void sieve_trace_flush(void* h) {
#if VM_TRACE
    Instance* s = static_cast<Instance*>(h);
    if (s->vcd) s->vcd->flush();
#else
    (void)h;
#endif
}

SIEVE_API void sieve_set(void* h, int port, const uint64_t* words) {
    Instance* s = static_cast<Instance*>(h);
    set_port(s->top, port, words);
    s->dirty = true;
}

SIEVE_API void sieve_get(void* h, int port, uint64_t* words) {
    Instance* s = static_cast<Instance*>(h);
    settle(s);
    get_port(s->top, port, words);
}

SIEVE_API void sieve_set_u64(void* h, int port, uint64_t value) {
    Instance* s = static_cast<Instance*>(h);
    set_port(s->top, port, &value);
    s->dirty = true;
}

SIEVE_API uint64_t sieve_get_u64(void* h, int port) {
    Instance* s = static_cast<Instance*>(h);
    settle(s);
    uint64_t w[1] = {0};
    if (port >= 0 && port < PORT_COUNT && PORTS[port].width <= 64) get_port(s->top, port, w);
    return w[0];
}

SIEVE_API void sieve_eval(void* h) {
    Instance* s = static_cast<Instance*>(h);
    s->top->eval();
    s->dirty = false;
}

SIEVE_API void sieve_step(void* h, int64_t cycles) {
    Instance* s = static_cast<Instance*>(h);
    for (int64_t i = 0; i < cycles; ++i) cycle(s);
}

// rst = 1 for `cycles` cycles, then rst = 0 (written, not yet clocked). No-op without `rst`.
SIEVE_API void sieve_reset(void* h, int64_t cycles) {
    Instance* s = static_cast<Instance*>(h);
    if (RESET_PORT < 0) return;
    uint64_t one = 1, zero = 0;
    set_port(s->top, RESET_PORT, &one);
    for (int64_t i = 0; i < cycles; ++i) cycle(s);
    set_port(s->top, RESET_PORT, &zero);
    s->dirty = true;
}

// Batched run: for each cycle k, inputs come from in[k * IN_FRAME_WORDS ...] (every input port
// except the clock, in port-table order) and outputs go to out[k * OUT_FRAME_WORDS ...].
SIEVE_API void sieve_run(void* h, int64_t cycles, const uint64_t* in, uint64_t* out) {
    Instance* s = static_cast<Instance*>(h);
    Vmodel* m = s->top;
    for (int64_t k = 0; k < cycles; ++k) {
        apply_inputs(m, in + k * IN_FRAME_WORDS);
        cycle(s);
        sample_outputs(m, out + k * OUT_FRAME_WORDS);
    }
}
