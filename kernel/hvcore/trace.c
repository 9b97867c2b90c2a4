// SPDX-License-Identifier: GPL-2.0
/*
 * The one place hvcore's tracepoints are defined (trace.h has them and
 * Documentation/tracing.rst describes them).
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
