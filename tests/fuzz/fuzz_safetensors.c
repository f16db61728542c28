/* fuzz_safetensors: the model-file reader on arbitrary bytes: the container
 * parser from memory, then the whole vae_load path (container, metadata,
 * architecture checks) from a file. Whatever the bytes, each either succeeds
 * with consistent tensors or fails with a message. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/safetensors.h"
#include "vae/vae_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Err e = {0};
    Safetensors st;
    if (safetensors_parse(data, size, "input", &st, &e) == ERR_OK) {
        for (int i = 0; i < st.n_tensors; i++)
            if (st.tensors[i].numel) {
                volatile float last = st.tensors[i].data[st.tensors[i].numel - 1];
                (void)last;
            }
        for (int i = 0; i < st.n_meta; i++)
            if (!st.meta[i].key || !st.meta[i].value)
                abort();
        safetensors_free(&st);
    } else if (e.msg[0] == '\0') {
        abort(); /* every failure must say why */
    }

    char path[64];
    snprintf(path, sizeof path, "/tmp/zspace-fuzz-st-%d", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    Vae v;
    VaeFileInfo info;
    if (vae_load(path, &v, 4, &info, &e) == ERR_OK) {
        if (v.cfg.z < 1 || v.cfg.z > VAE_MAX_Z || info.n_history < 0)
            abort();
        vae_file_info_free(&info);
        vae_free(&v);
    } else if (e.msg[0] == '\0') {
        abort();
    }
    unlink(path);
    return 0;
}
