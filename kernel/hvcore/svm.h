/* SPDX-License-Identifier: GPL-2.0 */
/* AMD SVM backend: what svm.c's ops table takes from svm_vp.c. */
#ifndef _HVCORE_SVM_H
#define _HVCORE_SVM_H

#include "hvcore.h"

void hv_svm_vmrun(u64 vmcb_pa, u64 *gpr, u64 host_save_pa);

int svm_init(void);
void svm_exit(void);
int svm_vp_create(struct hv_vp *vp);
void svm_vp_destroy(struct hv_vp *vp);
void svm_vp_reset(struct hv_vp *vp);
void svm_get_regs(struct hv_vp *vp, struct hvcore_regs *r);
int svm_set_regs(struct hv_vp *vp, const struct hvcore_regs *r);
void svm_run(struct hv_vp *vp, struct hv_lp *lp, u64 npt_pa);
int svm_cpl(struct hv_vp *vp);
void svm_clear_shadow(struct hv_vp *vp);
bool svm_intr_allowed(struct hv_vp *vp);
void svm_intr_window(struct hv_vp *vp, bool on);
bool svm_inject(struct hv_vp *vp, int type, u8 vector, bool has_err, u32 err);
u64 svm_npt_entry(u64 pa, int level);
unsigned int svm_npt_ad(u64 e);
u64 svm_get_efer(struct hv_vp *vp);
bool svm_set_efer(struct hv_vp *vp, u64 efer);
bool svm_msr_pat(struct hv_vp *vp, bool write, u64 *val);

#endif /* _HVCORE_SVM_H */
