/* cpu: see cpu.h. */
#include "cpu.h"

const char *cpu_kernel_level(void)
{
#if ZS_DISPATCH
    /* The same tests, in the same order, as the target_clones resolver. */
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4"))
        return "x86-64-v4";
    if (__builtin_cpu_supports("x86-64-v3"))
        return "x86-64-v3";
    return "baseline";
#else
    return "build target";
#endif
}
