#include "supervise/memory.hpp"

#include <sys/uio.h>

namespace supervise {

long RemoteMemory::read(std::uint64_t address, void* out, std::size_t length) {
    if (address == 0 || length == 0) return -1;
    iovec local{out, length};
    iovec remote{reinterpret_cast<void*>(address), length};
    ssize_t n = ::process_vm_readv(pid_, &local, 1, &remote, 1, 0);
    return n > 0 ? static_cast<long>(n) : -1;
}

} // namespace supervise
