// The CBLAS interface of the system OpenBLAS (Debian: libopenblas-dev), plus the OpenBLAS
// extensions Ablate uses to report and set its kernel set and thread count.
#include <cblas.h>
