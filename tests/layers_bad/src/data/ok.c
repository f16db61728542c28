/* includes GL outside its owner */
#include <epoxy/gl.h>
#include "core/err.h"
