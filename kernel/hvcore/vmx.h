/* SPDX-License-Identifier: GPL-2.0 */
/* Intel VMX backend: what vmx.c's ops table takes from vmx_vp.c. */
#ifndef _HVCORE_VMX_H
#define _HVCORE_VMX_H

#include "hvcore.h"

/**
 * struct hv_vmx_config - VMCS controls and limits, fixed at module load
 * @pin:	pin-based VM-execution controls
 * @proc:	primary processor-based controls (interrupt-window bit clear)
 * @proc2:	secondary processor-based controls
 * @exit:	VM-exit controls
 * @entry:	VM-entry controls (IA-32e mode guest clear)
 * @cr0_fixed0:	CR0 bits VMX operation needs set (PE and PG dropped: the
 *		guest is unrestricted)
 * @cr0_fixed1:	CR0 bits VMX operation allows set
 * @cr4_fixed0:	the same for CR4
 * @cr4_fixed1:	"
 * @cr0_mask:	CR0 bits the guest reads from the shadow; writing them exits
 * @cr4_mask:	the same for CR4
 * @preempt_ticks: VMX-preemption timer value for each entry, 0 when unused
 * @ept_ad:	EPT accessed/dirty flags are on
 * @vpid:	VPIDs are used (INVVPID all-context is available)
 */
struct hv_vmx_config {
	u32 pin;
	u32 proc;
	u32 proc2;
	u32 exit;
	u32 entry;
	u64 cr0_fixed0;
	u64 cr0_fixed1;
	u64 cr4_fixed0;
	u64 cr4_fixed1;
	u64 cr0_mask;
	u64 cr4_mask;
	u32 preempt_ticks;
	bool ept_ad;
	bool vpid;
};

extern struct hv_vmx_config hv_vmx;

int hv_vmx_vmrun(u64 *gpr, bool launched);
void hv_vmx_vmexit(void);

int vmx_setup(void);
void vmx_teardown(void);
void vmx_flush_all(void);
int vmx_vp_create(struct hv_vp *vp);
void vmx_vp_destroy(struct hv_vp *vp);
void vmx_vp_reset(struct hv_vp *vp);
void vmx_get_regs(struct hv_vp *vp, struct hvcore_regs *r);
int vmx_set_regs(struct hv_vp *vp, const struct hvcore_regs *r);
void vmx_load(struct hv_vp *vp, struct hv_lp *lp);
void vmx_put(struct hv_vp *vp);
void vmx_run(struct hv_vp *vp, struct hv_lp *lp, u64 npt_pa);
void vmx_npt_freed(void);
int vmx_cpl(struct hv_vp *vp);
void vmx_clear_shadow(struct hv_vp *vp);
bool vmx_intr_allowed(struct hv_vp *vp);
void vmx_intr_window(struct hv_vp *vp, bool on);
bool vmx_inject(struct hv_vp *vp, int type, u8 vector, bool has_err, u32 err);
u64 vmx_npt_entry(u64 pa, int level);
unsigned int vmx_npt_ad(u64 e);
u64 vmx_get_efer(struct hv_vp *vp);
bool vmx_set_efer(struct hv_vp *vp, u64 efer);
bool vmx_msr_pat(struct hv_vp *vp, bool write, u64 *val);

#endif /* _HVCORE_VMX_H */
