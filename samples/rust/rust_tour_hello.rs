// SPDX-License-Identifier: GPL-2.0

//! Rust twin of the kernel driver tour's hello sample, `samples/tour/tour_hello.c`.
//!
//! The smallest sample of the tour: it logs on load and on removal, keeps an array of numbers on
//! the heap for as long as it is loaded, and says whether it was built into the kernel or loaded
//! as a module.

use kernel::prelude::*;

module! {
    type: RustTourHello,
    name: "rust_tour_hello",
    authors: ["Kernel Driver Tour <kdt@example.org>"],
    description: "Kernel driver tour in Rust: module init, exit and heap data",
    license: "GPL",
}

/// The numbers the module copies to the heap at load time.
const INITIAL: [u32; 3] = [72, 108, 200];

struct RustTourHello {
    /// The heap copy, owned by the module from init to exit.
    numbers: KVec<u32>,
}

impl kernel::Module for RustTourHello {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("Hello sample (init)\n");
        pr_info!("Am I built-in? {}\n", !cfg!(MODULE));

        let mut numbers = KVec::new();
        numbers.extend_from_slice(&INITIAL, GFP_KERNEL)?;

        Ok(RustTourHello { numbers })
    }
}

impl Drop for RustTourHello {
    fn drop(&mut self) {
        pr_info!("My numbers are {:?}\n", self.numbers);
        pr_info!("Hello sample (exit)\n");
    }
}
