// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ways a driver shows state in /proc, in one directory, /proc/tour:
 *
 *	version	 read-only, one line from a seq_file (proc_create_single())
 *	text	 read and write: a text of at most TOUR_PROCFS_TEXT_MAX bytes.
 *		 A write replaces it whole; a longer one fails with -EFBIG and
 *		 keeps the old text.
 *	records	 a seq_file iterator (start, next, stop, show) over a list of
 *		 records, under the mutex that guards the list: right for any
 *		 read size, and from the start again after lseek() to 0. Writing
 *		 a number appends a record with that value (-EINVAL if it is not
 *		 a number, -ERANGE if it is not a u32, -ENOSPC past max_records).
 *	secret	 mode 0400 and the owner that the owner_uid and owner_gid
 *		 parameters name (proc_set_user()): only that user reads it.
 *
 * proc_remove() of the directory removes every entry and waits for the
 * reads and writes in progress, so that the module can go while files are
 * open: their later reads fail with -EIO.
 *
 * Try it:
 *	modprobe tour_procfs records=5
 *	cat /proc/tour/records
 *	echo 42 > /proc/tour/records
 *	echo hello > /proc/tour/text; cat /proc/tour/text
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <linux/utsname.h>

/* The largest text /proc/tour/text keeps. */
#define TOUR_PROCFS_TEXT_MAX	128
/* The most records the list may hold, and how many it starts with. */
#define TOUR_PROCFS_MAX_RECORDS	100000
#define TOUR_PROCFS_RECORDS	1000
/* The longest line a write to /proc/tour/records may hold. */
#define TOUR_PROCFS_NUM_MAX	16

static unsigned int records = TOUR_PROCFS_RECORDS;
module_param(records, uint, 0444);
MODULE_PARM_DESC(records, "Records the list starts with, 0 to max_records (default: 1000)");

static unsigned int max_records = TOUR_PROCFS_MAX_RECORDS;
module_param(max_records, uint, 0444);
MODULE_PARM_DESC(max_records, "Most records the list may hold, 1 to 100000 (default: 100000)");

static unsigned int owner_uid;
module_param(owner_uid, uint, 0444);
MODULE_PARM_DESC(owner_uid, "Owner of /proc/tour/secret (default: 0, root)");

static unsigned int owner_gid;
module_param(owner_gid, uint, 0444);
MODULE_PARM_DESC(owner_gid, "Group of /proc/tour/secret (default: 0, root)");

/**
 * struct tour_procfs_record - one record of /proc/tour/records
 * @node: its place in the list
 * @id: its place in the list, from 0
 * @value: its value
 */
struct tour_procfs_record {
	struct list_head node;
	unsigned int id;
	u32 value;
};

/**
 * struct tour_procfs - the state behind /proc/tour
 * @text_lock: serialises the reads and writes of @text
 * @text: the text of /proc/tour/text
 * @text_len: its length
 * @records_lock: protects @records and @nr_records
 * @records: the list of struct tour_procfs_record, in order of @id
 * @nr_records: its length
 * @max_records: the most records @records may hold
 */
struct tour_procfs {
	struct mutex text_lock;		/* serialises the text's readers and writers */
	char text[TOUR_PROCFS_TEXT_MAX];
	size_t text_len;
	struct mutex records_lock;	/* protects records and nr_records */
	struct list_head records;
	unsigned int nr_records;
	unsigned int max_records;
};

/* Append a record of @value, or fail with -ENOSPC when the list is full. */
static int tour_procfs_add(struct tour_procfs *tp, u32 value)
{
	struct tour_procfs_record *rec;
	int ret = 0;

	rec = kmalloc_obj(*rec);
	if (!rec)
		return -ENOMEM;
	mutex_lock(&tp->records_lock);
	if (tp->nr_records < tp->max_records) {
		rec->id = tp->nr_records++;
		rec->value = value;
		list_add_tail(&rec->node, &tp->records);
		rec = NULL;
	} else {
		ret = -ENOSPC;
	}
	mutex_unlock(&tp->records_lock);
	kfree(rec);
	return ret;
}

/* Start @tp with @n records, each of the square of its id. */
static int tour_procfs_setup(struct tour_procfs *tp, unsigned int n,
			     unsigned int max)
{
	unsigned int i;
	int ret = 0;

	mutex_init(&tp->text_lock);
	mutex_init(&tp->records_lock);
	INIT_LIST_HEAD(&tp->records);
	tp->text_len = 0;
	tp->nr_records = 0;
	tp->max_records = max;
	for (i = 0; i < n && !ret; i++)
		ret = tour_procfs_add(tp, i * i);
	return ret;
}

static void tour_procfs_teardown(struct tour_procfs *tp)
{
	struct tour_procfs_record *rec, *next;

	list_for_each_entry_safe(rec, next, &tp->records, node)
		kfree(rec);
	mutex_destroy(&tp->records_lock);
	mutex_destroy(&tp->text_lock);
}

/*
 * The records iterator. The list's mutex is held from start() to stop(), so
 * that one read() sees the list as it was; a read of many lines may take
 * several of these passes, each from *pos on.
 */
static void *tour_procfs_records_start(struct seq_file *m, loff_t *pos)
{
	struct tour_procfs *tp = m->private;

	mutex_lock(&tp->records_lock);
	/* Position 0 is the list's head, which show() prints as a header. */
	return seq_list_start_head(&tp->records, *pos);
}

static void *tour_procfs_records_next(struct seq_file *m, void *v,
				      loff_t *pos)
{
	struct tour_procfs *tp = m->private;

	return seq_list_next(v, &tp->records, pos);
}

static void tour_procfs_records_stop(struct seq_file *m, void *v)
{
	struct tour_procfs *tp = m->private;

	mutex_unlock(&tp->records_lock);
}

static int tour_procfs_records_show(struct seq_file *m, void *v)
{
	struct tour_procfs *tp = m->private;
	struct tour_procfs_record *rec;

	if (v == &tp->records) {
		seq_puts(m, "id value\n");
		return 0;
	}
	rec = list_entry(v, struct tour_procfs_record, node);
	seq_printf(m, "%u %u\n", rec->id, rec->value);
	return 0;
}

static const struct seq_operations tour_procfs_records_ops = {
	.start = tour_procfs_records_start,
	.next = tour_procfs_records_next,
	.stop = tour_procfs_records_stop,
	.show = tour_procfs_records_show,
};

/* A write to /proc/tour/records: one number, the value of a new record. */
static ssize_t tour_procfs_records_write(struct tour_procfs *tp,
					 const char __user *buf, size_t count)
{
	u32 value;
	int ret;

	if (count > TOUR_PROCFS_NUM_MAX)
		return -EINVAL;
	ret = kstrtou32_from_user(buf, count, 0, &value);
	if (ret)
		return ret;
	ret = tour_procfs_add(tp, value);
	return ret ?: count;
}

/* Replace the text with @count bytes from @buf, or keep it on any error. */
static ssize_t tour_procfs_text_write(struct tour_procfs *tp,
				      const char __user *buf, size_t count)
{
	char new[TOUR_PROCFS_TEXT_MAX];

	if (count > sizeof(new))
		return -EFBIG;
	if (copy_from_user(new, buf, count))
		return -EFAULT;

	mutex_lock(&tp->text_lock);
	memcpy(tp->text, new, count);
	tp->text_len = count;
	mutex_unlock(&tp->text_lock);
	return count;
}

static ssize_t tour_procfs_text_read(struct tour_procfs *tp, char __user *buf,
				     size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&tp->text_lock);
	ret = simple_read_from_buffer(buf, count, ppos, tp->text, tp->text_len);
	mutex_unlock(&tp->text_lock);
	return ret;
}

/* The proc_ops of each entry; pde_data() is the struct tour_procfs. */

static int tour_procfs_records_open(struct inode *inode, struct file *file)
{
	struct seq_file *m;
	int ret;

	ret = seq_open(file, &tour_procfs_records_ops);
	if (ret)
		return ret;
	m = file->private_data;
	m->private = pde_data(inode);
	return 0;
}

static ssize_t tour_procfs_records_proc_write(struct file *file,
					      const char __user *buf,
					      size_t count, loff_t *ppos)
{
	return tour_procfs_records_write(pde_data(file_inode(file)), buf,
					 count);
}

static const struct proc_ops tour_procfs_records_pops = {
	.proc_open = tour_procfs_records_open,
	.proc_read_iter = seq_read_iter,
	.proc_write = tour_procfs_records_proc_write,
	.proc_lseek = seq_lseek,
	.proc_release = seq_release,
};

static ssize_t tour_procfs_text_proc_read(struct file *file, char __user *buf,
					  size_t count, loff_t *ppos)
{
	return tour_procfs_text_read(pde_data(file_inode(file)), buf, count,
				     ppos);
}

static ssize_t tour_procfs_text_proc_write(struct file *file,
					   const char __user *buf,
					   size_t count, loff_t *ppos)
{
	return tour_procfs_text_write(pde_data(file_inode(file)), buf, count);
}

static const struct proc_ops tour_procfs_text_pops = {
	.proc_read = tour_procfs_text_proc_read,
	.proc_write = tour_procfs_text_proc_write,
	.proc_lseek = default_llseek,
};

static int tour_procfs_version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "tour_procfs on Linux %s\n", init_utsname()->release);
	return 0;
}

static int tour_procfs_secret_show(struct seq_file *m, void *v)
{
	seq_puts(m, "only the owner of this file can read this line\n");
	return 0;
}

static struct tour_procfs tour_procfs_state;
static struct proc_dir_entry *tour_procfs_dir;

/* Make /proc/tour and its entries; the caller removes the directory. */
static int tour_procfs_create(struct tour_procfs *tp, kuid_t uid, kgid_t gid)
{
	struct proc_dir_entry *secret;

	tour_procfs_dir = proc_mkdir("tour", NULL);
	if (!tour_procfs_dir)
		return -ENOMEM;
	if (!proc_create_single("version", 0444, tour_procfs_dir,
				tour_procfs_version_show) ||
	    !proc_create_data("text", 0644, tour_procfs_dir,
			      &tour_procfs_text_pops, tp) ||
	    !proc_create_data("records", 0644, tour_procfs_dir,
			      &tour_procfs_records_pops, tp))
		return -ENOMEM;
	secret = proc_create_single("secret", 0400, tour_procfs_dir,
				    tour_procfs_secret_show);
	if (!secret)
		return -ENOMEM;
	proc_set_user(secret, uid, gid);
	return 0;
}

static int __init tour_procfs_init(void)
{
	kuid_t uid = make_kuid(&init_user_ns, owner_uid);
	kgid_t gid = make_kgid(&init_user_ns, owner_gid);
	int ret;

	if (!max_records || max_records > TOUR_PROCFS_MAX_RECORDS ||
	    records > max_records) {
		pr_err("records=%u, max_records=%u: need 0 <= records <= max_records <= %d\n",
		       records, max_records, TOUR_PROCFS_MAX_RECORDS);
		return -EINVAL;
	}
	if (!uid_valid(uid) || !gid_valid(gid)) {
		pr_err("owner_uid=%u, owner_gid=%u: not a valid owner\n",
		       owner_uid, owner_gid);
		return -EINVAL;
	}

	ret = tour_procfs_setup(&tour_procfs_state, records, max_records);
	if (ret)
		goto err_teardown;
	ret = tour_procfs_create(&tour_procfs_state, uid, gid);
	if (ret)
		goto err_remove;
	return 0;

err_remove:
	proc_remove(tour_procfs_dir);
err_teardown:
	tour_procfs_teardown(&tour_procfs_state);
	return ret;
}
module_init(tour_procfs_init);

static void __exit tour_procfs_exit(void)
{
	proc_remove(tour_procfs_dir);
	tour_procfs_teardown(&tour_procfs_state);
}
module_exit(tour_procfs_exit);

/* The KUnit tests of the records iterator and the text, built in here. */
#if IS_ENABLED(CONFIG_SAMPLE_TOUR_PROCFS_KUNIT_TEST)
#include "tour_procfs_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: entries in /proc");
MODULE_LICENSE("GPL");
