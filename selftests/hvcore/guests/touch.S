/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reads the word at RDX into result 0 and writes RSI's VP count to the word
 * at R8, nothing else outside its own pages: the two leave different
 * accessed/dirty marks in the nested page tables.
 */
#include "head.S"

main:
	mov (%rdx), %rax
	REPORT 0, %rax
	mov %rsi, (%r8)
	EXIT $0
