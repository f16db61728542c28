/* breaks the graph: core may not include data */
#include "data/idx.h"
