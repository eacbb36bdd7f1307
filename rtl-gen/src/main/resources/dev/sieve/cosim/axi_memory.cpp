
// ---- Sieve AXI4 memory slave, appended to the wrapper for designs built with one ----
// Serves the design's AXI4 master port "@P@*" from a paged byte memory inside this library, so a
// whole command runs in one native call instead of one Java round trip per cycle. The timing rule
// is the one of the Java memory of the test bench (dev.sieve.hdl.sat.model.SatAcceleratorBench),
// with the latency passed in from Java:
//   - every read and write address is accepted at once (arready = awready = wready = 1, set by
//     the bench),
//   - a read burst's beats come one per cycle, the first `latency + 1` cycles after its address
//     and never before the previous burst's last beat (bursts in order),
//   - write data is taken in the order of the write addresses (an address may be accepted while an
//     earlier burst's beats still arrive); a write burst is answered `latency + 1` cycles after its
//     last beat.
// Per cycle: the memory's outputs (rvalid, rlast, rdata, bvalid) are applied, the design settles,
// its handshakes and requests are read, then the clock ticks (the wrapper's cycle()).

#include <cstring>
#include <deque>
#include <unordered_map>
#include <vector>

namespace {

const int AXI_DATA_BITS = @AXI_DATA_BITS@;
const int AXI_DATA_WORDS = (AXI_DATA_BITS + 63) / 64;
const int AXI_BEAT_BYTES = AXI_DATA_BITS / 8;
const uint64_t AXI_PAGE_BYTES = 1ULL << 16;

struct AxiReadBeat {
    int64_t ready;  // first cycle the beat may be presented
    uint64_t address;
    bool last;
};

struct AxiMemory {
    int64_t latency;
    std::unordered_map<uint64_t, std::vector<uint8_t>> pages;
    std::deque<AxiReadBeat> reads;
    std::deque<int64_t> responses;  // cycle each write response may be presented
    std::deque<uint64_t> write_addresses;  // accepted, their data not yet begun
    uint64_t write_address = 0;
    bool in_write_burst = false;

    uint8_t* page(uint64_t address) {
        std::vector<uint8_t>& p = pages[address / AXI_PAGE_BYTES];
        if (p.empty()) p.assign(AXI_PAGE_BYTES, 0);
        return p.data();
    }

    void copy_in(uint64_t address, const uint8_t* bytes, int64_t length) {
        while (length > 0) {
            uint64_t off = address % AXI_PAGE_BYTES;
            int64_t n = static_cast<int64_t>(AXI_PAGE_BYTES - off) < length ? static_cast<int64_t>(AXI_PAGE_BYTES - off) : length;
            std::memcpy(page(address) + off, bytes, static_cast<size_t>(n));
            address += n; bytes += n; length -= n;
        }
    }

    void copy_out(uint64_t address, uint8_t* bytes, int64_t length) {
        while (length > 0) {
            uint64_t off = address % AXI_PAGE_BYTES;
            int64_t n = static_cast<int64_t>(AXI_PAGE_BYTES - off) < length ? static_cast<int64_t>(AXI_PAGE_BYTES - off) : length;
            std::memcpy(bytes, page(address) + off, static_cast<size_t>(n));
            address += n; bytes += n; length -= n;
        }
    }
};

template <typename F>
inline uint64_t axi_narrow(const F& field) {
    uint64_t w[1];
    get(field, w);
    return w[0];
}

template <typename F>
inline void axi_drive(Instance* s, F& field, uint64_t value, int width) {
    if (axi_narrow(field) != value) {
        uint64_t w[1] = {value};
        put(field, w, width);
        s->dirty = true;
    }
}

// Little-endian words of the beat at `address` (byte i of the beat = bits 8i .. 8i + 7).
inline void axi_beat(AxiMemory* mem, uint64_t address, uint64_t* words) {
    uint8_t bytes[AXI_DATA_WORDS * 8] = {0};
    mem->copy_out(address, bytes, AXI_BEAT_BYTES);
    for (int j = 0; j < AXI_DATA_WORDS; ++j) {
        uint64_t w = 0;
        for (int b = 7; b >= 0; --b) w = (w << 8) | bytes[8 * j + b];
        words[j] = w;
    }
}

}  // namespace

SIEVE_API void* sieve_axi_create(int64_t latency) {
    AxiMemory* mem = new AxiMemory();
    mem->latency = latency;
    return mem;
}

SIEVE_API void sieve_axi_destroy(void* memory) { delete static_cast<AxiMemory*>(memory); }

SIEVE_API void sieve_axi_write(void* memory, uint64_t address, const uint8_t* bytes, int64_t length) {
    static_cast<AxiMemory*>(memory)->copy_in(address, bytes, length);
}

SIEVE_API void sieve_axi_read(void* memory, uint64_t address, uint8_t* bytes, int64_t length) {
    static_cast<AxiMemory*>(memory)->copy_out(address, bytes, length);
}

// Runs cycles with the memory answering until output @DONE@ is 1 (checked, after settling, before
// each cycle) and returns the cycles run; -1 when @DONE@ is still 0 after more than `max_cycles`, -2
// when write data comes before its address (the Java memory throws there).
// `now` is the caller's cycle count, the time base of the queued beats and responses.
SIEVE_API int64_t sieve_axi_serve(void* h, void* memory, int64_t now, int64_t max_cycles) {
    Instance* s = static_cast<Instance*>(h);
    AxiMemory* mem = static_cast<AxiMemory*>(memory);
    Vmodel* m = s->top;
    const int64_t start = now;
    uint64_t data[AXI_DATA_WORDS];
    uint64_t applied[AXI_DATA_WORDS];
    while (true) {
        settle(s);
        if (axi_narrow(m->@DONE@) == 1) return now - start;
        if (now - start > max_cycles) return -1;
        const bool beat = !mem->reads.empty() && mem->reads.front().ready <= now;
        axi_drive(s, m->@P@rvalid, beat ? 1 : 0, 1);
        if (beat) {
            const AxiReadBeat& head = mem->reads.front();
            axi_drive(s, m->@P@rlast, head.last ? 1 : 0, 1);
            axi_beat(mem, head.address, data);
            get(m->@P@rdata, applied);
            if (std::memcmp(data, applied, sizeof data) != 0) {
                put(m->@P@rdata, data, AXI_DATA_BITS);
                s->dirty = true;
            }
        }
        const bool response = !mem->responses.empty() && mem->responses.front() <= now;
        axi_drive(s, m->@P@bvalid, response ? 1 : 0, 1);
        settle(s);
        if (beat && axi_narrow(m->@P@rready) == 1) mem->reads.pop_front();
        if (response && axi_narrow(m->@P@bready) == 1) mem->responses.pop_front();
        if (axi_narrow(m->@P@arvalid) == 1) {
            const uint64_t address = axi_narrow(m->@P@araddr);
            const int64_t beats = static_cast<int64_t>(axi_narrow(m->@P@arlen)) + 1;
            int64_t first = now + 1 + mem->latency;
            if (!mem->reads.empty() && mem->reads.back().ready + 1 > first) first = mem->reads.back().ready + 1;
            for (int64_t i = 0; i < beats; ++i) {
                mem->reads.push_back(AxiReadBeat{first + i, address + static_cast<uint64_t>(AXI_BEAT_BYTES) * i, i == beats - 1});
            }
        }
        if (axi_narrow(m->@P@awvalid) == 1) mem->write_addresses.push_back(axi_narrow(m->@P@awaddr));
        if (axi_narrow(m->@P@wvalid) == 1) {
            if (!mem->in_write_burst) {
                if (mem->write_addresses.empty()) return -2;  // data before its address: not AXI4 this memory serves
                mem->write_address = mem->write_addresses.front();
                mem->write_addresses.pop_front();
                mem->in_write_burst = true;
            }
            get(m->@P@wdata, data);
            uint8_t bytes[AXI_DATA_WORDS * 8];
            for (int j = 0; j < AXI_DATA_WORDS; ++j) {
                for (int b = 0; b < 8; ++b) bytes[8 * j + b] = static_cast<uint8_t>(data[j] >> (8 * b));
            }
            mem->copy_in(mem->write_address, bytes, AXI_BEAT_BYTES);
            mem->write_address += AXI_BEAT_BYTES;
            if (axi_narrow(m->@P@wlast) == 1) {
                mem->responses.push_back(now + 1 + mem->latency);
                mem->in_write_burst = false;
            }
        }
        cycle(s);
        ++now;
    }
}
