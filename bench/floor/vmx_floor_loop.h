/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX floor's measured loop, in vmx_floor_loop.S.
 */
#ifndef HVBENCH_VMX_FLOOR_LOOP_H
#define HVBENCH_VMX_FLOOR_LOOP_H

#include <linux/types.h>

/* hvbench_vmx_loop()'s answer when VMLAUNCH/VMRESUME failed */
#define VMFAIL	U32_MAX

/**
 * hvbench_vmx_loop() - run CPUID round trips in the current VMCS
 * @n: round trips still to run, at least 1; counted down
 * @launched: VMRESUME rather than VMLAUNCH for the first entry
 *
 * The caller has interrupts off and HOST_RIP set to hvbench_vmx_exit.
 *
 * Return: the exit reason that ended the loop (EXIT_REASON_CPUID once @n
 * reached 0), or VMFAIL when VMLAUNCH/VMRESUME failed or faulted.
 */
u32 hvbench_vmx_loop(u32 *n, bool launched);

/* Where VM exits land (HOST_RIP), inside hvbench_vmx_loop(). */
void hvbench_vmx_exit(void);

#endif /* HVBENCH_VMX_FLOOR_LOOP_H */
