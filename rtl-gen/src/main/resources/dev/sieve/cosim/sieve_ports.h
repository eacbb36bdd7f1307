// Sieve co-simulation: moves one Verilator port field of any storage type (CData, SData,
// IData, QData, VlWide<N>) to and from little-endian 64-bit words, ceil(width / 64) per port.
#ifndef SIEVE_PORTS_H
#define SIEVE_PORTS_H

#include "verilated.h"

#include <cstddef>
#include <cstdint>

namespace sieve {

inline uint64_t low_mask(int bits) { return bits >= 64 ? ~0ULL : ((1ULL << bits) - 1ULL); }

// Writes/reads one port field of any Verilator storage type from/to 64-bit words.
inline void put(CData& f, const uint64_t* w, int width) { f = static_cast<CData>(w[0] & low_mask(width)); }
inline void put(SData& f, const uint64_t* w, int width) { f = static_cast<SData>(w[0] & low_mask(width)); }
inline void put(IData& f, const uint64_t* w, int width) { f = static_cast<IData>(w[0] & low_mask(width)); }
inline void put(QData& f, const uint64_t* w, int width) { f = static_cast<QData>(w[0] & low_mask(width)); }
template <std::size_t N>
inline void put(VlWide<N>& f, const uint64_t* w, int width) {
    for (std::size_t i = 0; i < N; ++i) {
        const uint64_t word = w[i / 2];
        f[i] = static_cast<EData>((i & 1) ? (word >> 32) : word);
    }
    const int top_bits = width - 32 * static_cast<int>(N - 1);
    f[N - 1] &= static_cast<EData>(low_mask(top_bits));
}
inline void get(const CData& f, uint64_t* w) { w[0] = f; }
inline void get(const SData& f, uint64_t* w) { w[0] = f; }
inline void get(const IData& f, uint64_t* w) { w[0] = f; }
inline void get(const QData& f, uint64_t* w) { w[0] = f; }
template <std::size_t N>
inline void get(const VlWide<N>& f, uint64_t* w) {
    for (std::size_t j = 0; j < (N + 1) / 2; ++j) {
        const uint64_t lo = f.at(2 * j);
        const uint64_t hi = (2 * j + 1 < N) ? f.at(2 * j + 1) : 0;
        w[j] = lo | (hi << 32);
    }
}

}  // namespace sieve

#endif  // SIEVE_PORTS_H
