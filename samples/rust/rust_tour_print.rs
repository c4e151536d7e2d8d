// SPDX-License-Identifier: GPL-2.0

//! Rust twin of the kernel driver tour's log levels sample, `samples/tour/tour_print.c`.
//!
//! One message at every level from `pr_emerg!` to `pr_info!`, each without and then with
//! arguments, and one line built from several pieces with `pr_cont!`. `pr_debug!` prints only
//! when the kernel is built with `CONFIG_RUST_DEBUG_ASSERTIONS`.
//!
//! The urgent levels, emerg, alert and crit, say that the system is in trouble: consoles print
//! them even when booted with "quiet". A sample has no trouble to report, so it logs them only
//! when loaded with `urgent=1`.

use kernel::{
    pr_cont,
    prelude::*, //
};

module! {
    type: RustTourPrint,
    name: "rust_tour_print",
    authors: ["Kernel Driver Tour <kdt@example.org>"],
    description: "Kernel driver tour in Rust: log levels and continuation lines",
    license: "GPL",
    params: {
        urgent: bool {
            default: false,
            description: "Also log at the emerg, alert and crit levels (default: N)",
        },
    },
}

struct RustTourPrint;

/// Levels 0 to 2: only when asked, as they interrupt every console.
fn print_urgent() {
    pr_emerg!("Emergency message (level 0) without args\n");
    pr_alert!("Alert message (level 1) without args\n");
    pr_crit!("Critical message (level 2) without args\n");

    pr_emerg!("{} message (level {}) with args\n", "Emergency", 0);
    pr_alert!("{} message (level {}) with args\n", "Alert", 1);
    pr_crit!("{} message (level {}) with args\n", "Critical", 2);
}

fn print_levels() {
    pr_err!("Error message (level 3) without args\n");
    pr_warn!("Warning message (level 4) without args\n");
    pr_notice!("Notice message (level 5) without args\n");
    pr_info!("Info message (level 6) without args\n");
    pr_debug!("Debug message (level 7) without args\n");

    pr_err!("{} message (level {}) with args\n", "Error", 3);
    pr_warn!("{} message (level {}) with args\n", "Warning", 4);
    pr_notice!("{} message (level {}) with args\n", "Notice", 5);
    pr_info!("{} message (level {}) with args\n", "Info", 6);
    pr_debug!("{} message (level {}) with args\n", "Debug", 7);
}

/// `pr_cont!` appends to the line the previous call left open (no "\n"). Any other CPU's printk
/// in between ends that line early, so a line that must stay whole is better built in a buffer
/// and printed once.
fn print_continued() {
    pr_info!("A line that");
    pr_cont!(" is continued");
    pr_cont!(" without args\n");

    pr_info!("A {} that", "line");
    pr_cont!(" is {}", "continued");
    pr_cont!(" with {}\n", "args");
}

impl kernel::Module for RustTourPrint {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("Print sample (init)\n");
        if module_parameters::urgent.value() {
            print_urgent();
        }
        print_levels();
        print_continued();

        Ok(RustTourPrint)
    }
}

impl Drop for RustTourPrint {
    fn drop(&mut self) {
        pr_info!("Print sample (exit)\n");
    }
}
