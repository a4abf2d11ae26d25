<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>Offline since {time}</source>
        <extracomment>Seconds between syncs when nothing asks for one sooner. An edit is sent this long after it was saved (a burst of edits goes in one push). Seconds between attempts while the server cannot be reached.</extracomment>
        <translation>Luring sejak {time}</translation>
    </message>
    <message>
        <source>{count} changes to send</source>
        <translation>{count} perubahan menunggu dikirim</translation>
    </message>
    <message>
        <source>Synced</source>
        <translation>Tersinkron</translation>
    </message>
    <message>
        <source>Last synced at {time}</source>
        <translation>Terakhir disinkronkan pukul {time}</translation>
    </message>
    <message>
        <source>Not synced: the server refused</source>
        <translation>Tidak tersinkron: server menolak</translation>
    </message>
    <message>
        <source>Join team project</source>
        <translation>Gabung ke proyek tim</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <source>empty: the one in your password file</source>
        <translation>kosong: yang ada di berkas kata sandi Anda</translation>
    </message>
    <message>
        <source>Remember it in my libpq password file (~/.pgpass)</source>
        <translation>Ingat di berkas kata sandi libpq saya (~/.pgpass)</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Your name on the team</source>
        <translation>Nama Anda di tim</translation>
    </message>
    <message>
        <source>Local copy</source>
        <translation>Salinan lokal</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Gabung</translation>
    </message>
    <message>
        <source>{path} exists already: choose a new file for the local copy</source>
        <translation>{path} sudah ada: pilih berkas baru untuk salinan lokal</translation>
    </message>
    <message>
        <source>Joining needs the server and your name</source>
        <translation>Untuk bergabung perlu server dan nama Anda</translation>
    </message>
    <message>
        <source>Joining {url}…</source>
        <translation>Bergabung ke {url}…</translation>
    </message>
    <message>
        <source>Could not join: {reason}</source>
        <translation>Tidak dapat bergabung: {reason}</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Menyinkronkan…</translation>
    </message>
    <message>
        <source>This project is not a team project: File &gt; Join team project…</source>
        <translation>Proyek ini bukan proyek tim: Berkas &gt; Gabung ke proyek tim…</translation>
    </message>
</context>
<context>
    <name>AssignButton</name>
    <message>
        <source>Assign to…</source>
        <translation>Tugaskan ke…</translation>
    </message>
    <message>
        <source>Give the articles of the selected rows to an annotator: they come first in that annotator&apos;s list</source>
        <translation>Berikan artikel dari baris yang dipilih kepada seorang anotator: artikel itu muncul paling atas di daftar anotator tersebut</translation>
    </message>
    <message>
        <source>Someone else…</source>
        <translation>Orang lain…</translation>
    </message>
    <message>
        <source>Take back assignments</source>
        <translation>Tarik kembali penugasan</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Tugaskan</translation>
    </message>
    <message>
        <source>Select rows of the articles to assign first.</source>
        <translation>Pilih dulu baris artikel yang akan ditugaskan.</translation>
    </message>
    <message>
        <source>Assign to (names, comma separated):</source>
        <translation>Tugaskan ke (nama, dipisahkan koma):</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>in memory</source>
        <translation>di memori</translation>
    </message>
    <message>
        <source>Sorot — {project}</source>
        <translation>Sorot — {project}</translation>
    </message>
    <message>
        <source>[read-only]</source>
        <translation>[hanya-baca]</translation>
    </message>
    <message>
        <source>Read-only: this project is open in another Sorot. You can look, not change.</source>
        <translation>Hanya-baca: proyek ini sedang dibuka di Sorot lain. Anda dapat melihat, tetapi tidak dapat mengubah.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Coba lagi</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>Hanya-baca</translation>
    </message>
    <message>
        <source>Not saved to disk</source>
        <translation>Tidak tersimpan ke disk</translation>
    </message>
    <message>
        <source>Saving failed — retry</source>
        <translation>Gagal menyimpan — coba lagi</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Menyimpan…</translation>
    </message>
    <message>
        <source>All changes saved</source>
        <translation>Semua perubahan tersimpan</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Berkas</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Sunting</translation>
    </message>
    <message>
        <source>&amp;Article</source>
        <translation>&amp;Artikel</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Tampilan</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Pengaturan</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ba&amp;ntuan</translation>
    </message>
    <message>
        <source>Recent projects</source>
        <translation>Proyek terakhir</translation>
    </message>
    <message>
        <source>No article open</source>
        <translation>Tidak ada artikel yang terbuka</translation>
    </message>
    <message>
        <source>{count} characters</source>
        <translation>{count} karakter</translation>
    </message>
    <message>
        <source>Done {done} / {total}</source>
        <translation>Selesai {done} / {total}</translation>
    </message>
    <message>
        <source>Your last changes may not be on the disk. Close Sorot and open the project again.</source>
        <translation>Perubahan terakhir Anda mungkin tidak ada di disk. Tutup Sorot lalu buka proyek ini lagi.</translation>
    </message>
    <message>
        <source>Suggesting ({suggesters}): {done} / {total}</source>
        <translation>Menyarankan ({suggesters}): {done} / {total}</translation>
    </message>
    <message>
        <source>suggesting failed</source>
        <translation>gagal menyarankan</translation>
    </message>
    <message>
        <source>Suggesting failed: {reason}</source>
        <translation>Gagal menyarankan: {reason}</translation>
    </message>
    <message>
        <source>Change the suggesters in Settings &gt; Suggesters.</source>
        <translation>Ganti pemberi saran di Pengaturan &gt; Pemberi saran.</translation>
    </message>
    <message>
        <source>Suggest</source>
        <translation>Sarankan</translation>
    </message>
    <message>
        <source>No article is waiting (new or in progress).</source>
        <translation>Tidak ada artikel yang menunggu (baru atau sedang dikerjakan).</translation>
    </message>
    <message>
        <source>Suggesting spans for {count} articles…</source>
        <translation>Menyarankan rentang untuk {count} artikel…</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>Proyek baru</translation>
    </message>
    <message>
        <source>Sorot projects (*.sorot)</source>
        <translation>Proyek Sorot (*.sorot)</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>Buka proyek</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Semua berkas (*)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(tidak ada)</translation>
    </message>
    <message>
        <source>Welcome to Sorot</source>
        <translation>Selamat datang di Sorot</translation>
    </message>
    <message>
        <source>This project is empty. Import the sample article (an Indonesian news report) to try the desk?</source>
        <translation>Proyek ini masih kosong. Impor artikel contoh (sebuah berita berbahasa Indonesia) untuk mencoba meja kerja?</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Label set</source>
        <translation>Kumpulan label</translation>
    </message>
    <message>
        <source>About Sorot</source>
        <translation>Tentang Sorot</translation>
    </message>
    <message>
        <source>&lt;b&gt;Sorot&lt;/b&gt; — an annotation desk for news analysts: actors, locations and claims.</source>
        <translation>&lt;b&gt;Sorot&lt;/b&gt; — meja anotasi untuk analis berita: aktor, lokasi, dan klaim.</translation>
    </message>
</context>
<context>
    <name>QKeySequenceEdit</name>
    <message>
        <source>Press shortcut</source>
        <translation>Tekan tombol pintas</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Batalkan</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Ulangi</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Potong</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Salin</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Tempel</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Pilih semua</translation>
    </message>
</context>
<context>
    <name>QMessageBox</name>
    <message>
        <source>Show Details...</source>
        <translation>Tampilkan rincian...</translation>
    </message>
    <message>
        <source>Hide Details...</source>
        <translation>Sembunyikan rincian...</translation>
    </message>
    <message>
        <source>About Qt</source>
        <translation>Tentang Qt</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <extracomment>Qt&apos;s own words on the desk&apos;s screens (standard buttons, message boxes, the text fields&apos; menus). Qt ships no Indonesian catalogue, so Sorot&apos;s carries these in Qt&apos;s own contexts.</extracomment>
        <translation>OK</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>Simpan semua</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Buka</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Ya</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>Ya untuk &amp;semua</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Tidak</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>T&amp;idak untuk semua</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Hentikan</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Coba lagi</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Abaikan</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Buang</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Bantuan</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Terapkan</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Setel ulang</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Kembalikan bawaan</translation>
    </message>
</context>
<context>
    <name>QWidgetTextControl</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Batalkan</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Ulangi</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Potong</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Salin</translation>
    </message>
    <message>
        <source>Copy &amp;Link Location</source>
        <translation>Salin &amp;alamat tautan</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Tempel</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Pilih semua</translation>
    </message>
</context>
<context>
    <name>Retrain</name>
    <message>
        <source>Training the next model…</source>
        <extracomment>A store change that may make a training due waits this long (many marks in a row: one check).</extracomment>
        <translation>Melatih model berikutnya…</translation>
    </message>
    <message>
        <source>Training the next model: {line}</source>
        <translation>Melatih model berikutnya: {line}</translation>
    </message>
    <message>
        <source>Training cancelled; the model in use is unchanged</source>
        <translation>Pelatihan dibatalkan; model yang dipakai tidak berubah</translation>
    </message>
    <message>
        <source>the training process stopped (exit code {code})</source>
        <translation>proses pelatihan berhenti (kode keluar {code})</translation>
    </message>
    <message>
        <source>Training failed: {why}. The model in use is unchanged.</source>
        <translation>Pelatihan gagal: {why}. Model yang dipakai tidak berubah.</translation>
    </message>
    <message>
        <source>Model v{n} in use: F {f} on held-back articles</source>
        <translation>Model v{n} dipakai: F {f} pada artikel yang disisihkan</translation>
    </message>
    <message>
        <source> (v{m} had {g})</source>
        <translation> (v{m}: {g})</translation>
    </message>
    <message>
        <source>Model v{n} kept aside: it has no held-out score</source>
        <translation>Model v{n} disimpan saja: tidak punya skor uji</translation>
    </message>
    <message>
        <source>Model v{n} kept aside: F {f} is not better than v{m}&apos;s {g}</source>
        <translation>Model v{n} disimpan saja: F {f} tidak lebih baik daripada {g} milik v{m}</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Versi</translation>
    </message>
    <message>
        <source>Trained</source>
        <translation>Dilatih</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <source>Articles</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>Rentang</translation>
    </message>
    <message>
        <source>F</source>
        <translation>F</translation>
    </message>
    <message>
        <source>Per label</source>
        <translation>Per label</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>Dipakai</translation>
    </message>
    <message>
        <source>Model versions</source>
        <translation>Versi model</translation>
    </message>
    <message>
        <source>Use this version</source>
        <translation>Pakai versi ini</translation>
    </message>
    <message>
        <source>Use no model</source>
        <translation>Jangan pakai model</translation>
    </message>
    <message>
        <source>Retrain now</source>
        <translation>Latih ulang sekarang</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>otomatis</translation>
    </message>
    <message>
        <source>asked for</source>
        <translation>diminta</translation>
    </message>
    <message>
        <source>In use: v{n}.</source>
        <translation>Dipakai: v{n}.</translation>
    </message>
    <message>
        <source>No model of the project&apos;s own is in use.</source>
        <translation>Tidak ada model milik proyek ini yang dipakai.</translation>
    </message>
    <message>
        <source>A new version is trained after every {n} finished articles, and used only when it scores better on the articles it held back.</source>
        <translation>Versi baru dilatih setiap {n} artikel selesai, dan hanya dipakai jika skornya lebih baik pada artikel yang disisihkannya.</translation>
    </message>
    <message>
        <source>Automatic retraining is off.</source>
        <translation>Pelatihan ulang otomatis tidak aktif.</translation>
    </message>
    <message>
        <source>Model versions…</source>
        <translation>Versi model…</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Project in use</source>
        <translation>Proyek sedang dipakai</translation>
    </message>
    <message>
        <source>Open read-only</source>
        <translation>Buka hanya-baca</translation>
    </message>
</context>
<context>
    <name>appearance</name>
    <message>
        <source>Follow the system</source>
        <extracomment>Zoom steps either side of 100 %: each is about a tenth bigger or smaller. The article text and its title at 100 %, in pixels. The dark theme: a text background of #1e1f22 and text of #e6e6e6 (contrast 13.8:1).</extracomment>
        <translation>Ikuti sistem</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Terang</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Gelap</translation>
    </message>
    <message>
        <source>Bigger text</source>
        <translation>Perbesar teks</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>Perkecil teks</translation>
    </message>
    <message>
        <source>Text at 100 %</source>
        <translation>Teks 100 %</translation>
    </message>
    <message>
        <source>Text size and theme</source>
        <translation>Ukuran teks dan tema</translation>
    </message>
    <message>
        <source>Theme: {name}</source>
        <translation>Tema: {name}</translation>
    </message>
</context>
<context>
    <name>article_list</name>
    <message>
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Lang</source>
        <translation>Bhs</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>Rentang</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>Disarankan</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>Terakhir diubah</translation>
    </message>
    <message>
        <source>The articles as they were imported.</source>
        <translation>Artikel menurut urutan saat diimpor.</translation>
    </message>
    <message>
        <source>Most useful first</source>
        <translation>Paling berguna dulu</translation>
    </message>
    <message>
        <source>Where the suggesters disagree, or the project&apos;s model is least sure, first. Articles not suggested yet come after, as imported.</source>
        <translation>Artikel tempat para pemberi saran berbeda pendapat, atau model proyek paling tidak yakin, lebih dulu. Artikel yang belum diberi saran menyusul, menurut urutan impor.</translation>
    </message>
    <message>
        <source>Quickest first</source>
        <translation>Paling cepat dulu</translation>
    </message>
    <message>
        <source>Short articles with few suggestions to decide and few spans to draw first.</source>
        <translation>Artikel pendek dengan sedikit saran untuk diputuskan dan sedikit rentang untuk digambar lebih dulu.</translation>
    </message>
    <message>
        <source>article {id}</source>
        <extracomment>Whose list this is: their articles (assigned to them) come first, and the Status column shows their own state where they have one.</extracomment>
        <translation>artikel {id}</translation>
    </message>
    <message>
        <source>{count} span</source>
        <translation>{count} rentang</translation>
    </message>
    <message>
        <source>{count} spans</source>
        <translation>{count} rentang</translation>
    </message>
    <message>
        <source>{count} suggested</source>
        <translation>{count} disarankan</translation>
    </message>
    <message>
        <source>{count} characters</source>
        <translation>{count} karakter</translation>
    </message>
    <message>
        <source>Double-click or F2: rename</source>
        <translation>Klik dua kali atau F2: ganti nama</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Semua status</translation>
    </message>
    <message>
        <source>To do (new, in progress)</source>
        <translation>Belum selesai (baru, sedang dikerjakan)</translation>
    </message>
    <message>
        <source>&amp;Order:</source>
        <translation>&amp;Urutan:</translation>
    </message>
    <message>
        <source>What to annotate next: the list and Ctrl+Enter (done, next) follow this order</source>
        <translation>Apa yang dianotasi berikutnya: daftar dan Ctrl+Enter (tandai selesai dan lanjut) mengikuti urutan ini</translation>
    </message>
    <message>
        <source>Search articles…</source>
        <translation>Cari artikel…</translation>
    </message>
    <message>
        <source>Click to sort; right-click to sort by a column the panel is too narrow to show</source>
        <translation>Klik untuk mengurutkan; klik kanan untuk mengurutkan menurut kolom yang tidak muat di panel</translation>
    </message>
    <message>
        <source>Import order</source>
        <translation>Urutan impor</translation>
    </message>
    <message>
        <source>Sort by {column} {arrow}</source>
        <translation>Urutkan menurut {column} {arrow}</translation>
    </message>
</context>
<context>
    <name>article_view</name>
    <message>
        <source>from {origin} · by {annotator}</source>
        <translation>dari {origin} · oleh {annotator}</translation>
    </message>
</context>
<context>
    <name>desk</name>
    <message>
        <source>No more articles that way.</source>
        <translation>Tidak ada artikel lagi ke arah itu.</translation>
    </message>
    <message>
        <source>Mark {status}</source>
        <translation>Tandai {status}</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Sunting</translation>
    </message>
    <message>
        <source>This project is open read-only: changes are not possible.</source>
        <translation>Proyek ini terbuka hanya-baca: perubahan tidak dapat dilakukan.</translation>
    </message>
    <message>
        <source>Select some text (or a span) first.</source>
        <translation>Pilih teks (atau sebuah rentang) terlebih dahulu.</translation>
    </message>
    <message>
        <source>Nothing to label there.</source>
        <translation>Tidak ada yang bisa diberi label di situ.</translation>
    </message>
    <message>
        <source>Add {label}</source>
        <translation>Tambah {label}</translation>
    </message>
    <message>
        <source>Relabel as {label}</source>
        <translation>Ganti label menjadi {label}</translation>
    </message>
    <message>
        <source>Delete span</source>
        <translation>Hapus rentang</translation>
    </message>
    <message>
        <source>Accept span</source>
        <translation>Terima rentang</translation>
    </message>
    <message>
        <source>Reject span</source>
        <translation>Tolak rentang</translation>
    </message>
    <message>
        <source>Select a suggestion first (Tab moves to the next one).</source>
        <translation>Pilih sebuah saran terlebih dahulu (Tab pindah ke saran berikutnya).</translation>
    </message>
    <message>
        <source>Accept suggestion</source>
        <translation>Terima saran</translation>
    </message>
    <message>
        <source>Reject suggestion</source>
        <translation>Tolak saran</translation>
    </message>
    <message>
        <source>Accept {count} suggestions</source>
        <translation>Terima {count} saran</translation>
    </message>
    <message>
        <source>The span cannot move that way.</source>
        <translation>Rentang tidak dapat digeser ke arah itu.</translation>
    </message>
    <message>
        <source>Resize span</source>
        <translation>Ubah ukuran rentang</translation>
    </message>
    <message>
        <source>Edit note</source>
        <translation>Sunting catatan</translation>
    </message>
    <message>
        <source>Set claimant</source>
        <translation>Tetapkan sumber klaim</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>Import articles</source>
        <translation>Impor artikel</translation>
    </message>
    <message>
        <source>Files or a folder (separate several with ;)</source>
        <translation>Berkas atau folder (pisahkan beberapa dengan ;)</translation>
    </message>
    <message>
        <source>Files…</source>
        <translation>Berkas…</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>Folder…</translation>
    </message>
    <message>
        <source>detect</source>
        <translation>deteksi</translation>
    </message>
    <message>
        <source>one document = one article</source>
        <translation>satu dokumen = satu artikel</translation>
    </message>
    <message>
        <source>text</source>
        <translation>teks</translation>
    </message>
    <message>
        <source>Import from</source>
        <translation>Impor dari</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <source>Annotator of imported spans</source>
        <translation>Anotator rentang yang diimpor</translation>
    </message>
    <message>
        <source>Sentences per article (CoNLL)</source>
        <translation>Kalimat per artikel (CoNLL)</translation>
    </message>
    <message>
        <source>Text column (CSV)</source>
        <translation>Kolom teks (CSV)</translation>
    </message>
    <message>
        <source>Import files</source>
        <translation>Impor berkas</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Semua berkas (*)</translation>
    </message>
    <message>
        <source>Import a folder</source>
        <translation>Impor sebuah folder</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Ekspor</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>Ekspor ke</translation>
    </message>
    <message>
        <source>Articles with status</source>
        <translation>Artikel dengan status</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Spans with status</source>
        <translation>Rentang dengan status</translation>
    </message>
    <message>
        <source>spaCy pipeline: {name}</source>
        <translation>Pipeline spaCy: {name}</translation>
    </message>
    <message>
        <source>The installed package {name}.</source>
        <translation>Paket {name} yang terpasang.</translation>
    </message>
    <message>
        <source>Trained model: {name}</source>
        <translation>Model hasil latihan: {name}</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Naik</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Turun</translation>
    </message>
    <message>
        <source>Suggesters in order, comma separated: rules, gazetteer, spacy:NAME_OR_PATH</source>
        <translation>Pemberi saran menurut urutan, dipisahkan koma: rules, gazetteer, spacy:NAMA_ATAU_PATH</translation>
    </message>
    <message>
        <source>{item} (typed)</source>
        <translation>{item} (diketik)</translation>
    </message>
    <message>
        <source>Not one of the suggesters Sorot found.</source>
        <translation>Bukan salah satu pemberi saran yang ditemukan Sorot.</translation>
    </message>
    <message>
        <source>Nothing ticked: Sorot uses {spec}.</source>
        <translation>Tidak ada yang dicentang: Sorot memakai {spec}.</translation>
    </message>
    <message>
        <source>Run in this order; where two overlap, the earlier one wins.</source>
        <translation>Dijalankan dalam urutan ini; jika dua saran bertumpang tindih, yang lebih awal menang.</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Tindakan</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Tempat</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tombol</translation>
    </message>
    <message>
        <source>Click here, then press the new key for the chosen action</source>
        <translation>Klik di sini, lalu tekan tombol baru untuk tindakan yang dipilih</translation>
    </message>
    <message>
        <source>No key</source>
        <translation>Tanpa tombol</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>Kembalikan ke bawaan</translation>
    </message>
    <message>
        <source>Choose an action, click the key box and press its new key.</source>
        <translation>Pilih sebuah tindakan, klik kotak tombol, lalu tekan tombol barunya.</translation>
    </message>
    <message>
        <source>New key:</source>
        <translation>Tombol baru:</translation>
    </message>
    <message>
        <source>Label {name}</source>
        <translation>Label {name}</translation>
    </message>
    <message>
        <source>A label key: change it in Settings &gt; Label set.</source>
        <translation>Tombol label: ubah di Pengaturan &gt; Kumpulan label.</translation>
    </message>
    <message>
        <source>{action}: {help}. Press its new key in the box.</source>
        <translation>{action}: {help}. Tekan tombol barunya di kotak.</translation>
    </message>
    <message>
        <source>Choose an action first (label keys are changed in Settings &gt; Label set).</source>
        <translation>Pilih sebuah tindakan terlebih dahulu (tombol label diubah di Pengaturan &gt; Kumpulan label).</translation>
    </message>
    <message>
        <source>{action}: now {key}.</source>
        <translation>{action}: sekarang {key}.</translation>
    </message>
    <message>
        <source>{action}: no key (the menu still has it).</source>
        <translation>{action}: tanpa tombol (menunya tetap ada).</translation>
    </message>
    <message>
        <source>Every action has its default keys again.</source>
        <translation>Semua tindakan kembali memakai tombol bawaannya.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>The language of the desk; it changes as soon as you press OK.</source>
        <translation>Bahasa meja kerja; langsung berganti begitu Anda menekan OK.</translation>
    </message>
    <message>
        <source>Your name (annotator)</source>
        <translation>Nama Anda (anotator)</translation>
    </message>
    <message>
        <source>Suggesters</source>
        <translation>Pemberi saran</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Umum</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Warna</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Tombol</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>spaCy labels (comma separated)</source>
        <translation>Label spaCy (dipisahkan koma)</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Keterangan</translation>
    </message>
    <message>
        <source>Label set</source>
        <translation>Kumpulan label</translation>
    </message>
    <message>
        <source>Add label</source>
        <translation>Tambah label</translation>
    </message>
    <message>
        <source>Two labels share a key.</source>
        <translation>Dua label memakai tombol yang sama.</translation>
    </message>
    <message>
        <source>{problem} Choose another label key.</source>
        <translation>{problem} Pilih tombol label yang lain.</translation>
    </message>
    <message>
        <source>label the selected text as {label} (snapped to whole words), or relabel the selected span</source>
        <translation>beri label {label} pada teks yang dipilih (dipaskan ke kata utuh), atau ganti label rentang yang dipilih</translation>
    </message>
    <message>
        <source> or </source>
        <translation> atau </translation>
    </message>
    <message>
        <source>{key} does two things ({holders}): change one in Settings.</source>
        <translation>{key} melakukan dua hal ({holders}): ubah salah satunya di Pengaturan.</translation>
    </message>
    <message>
        <source>No key (in the menus; give them one in Settings &gt; Keys): {actions}.</source>
        <translation>Tanpa tombol (ada di menu; beri tombol di Pengaturan &gt; Tombol): {actions}.</translation>
    </message>
    <message>
        <source>In the article text</source>
        <translation>Di teks artikel</translation>
    </message>
    <message>
        <source>Anywhere in the window</source>
        <translation>Di mana saja dalam jendela</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>Papan ketik</translation>
    </message>
    <message>
        <source>Change keys in Settings &gt; Keys.</source>
        <translation>Ubah tombol di Pengaturan &gt; Tombol.</translation>
    </message>
</context>
<context>
    <name>find_bar</name>
    <message>
        <source>Find in article</source>
        <translation>Cari di artikel</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>Cari:</translation>
    </message>
    <message>
        <source>Previous hit</source>
        <translation>Temuan sebelumnya</translation>
    </message>
    <message>
        <source>Next hit</source>
        <translation>Temuan berikutnya</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>{current} of {total}</source>
        <translation>{current} dari {total}</translation>
    </message>
    <message>
        <source>no hits</source>
        <translation>tidak ditemukan</translation>
    </message>
</context>
<context>
    <name>guidelines</name>
    <message>
        <source>Labels</source>
        <extracomment>Beside F1 (the keyboard cheat sheet): the other thing to look up while working.</extracomment>
        <translation>Label</translation>
    </message>
    <message>
        <source> (key {key})</source>
        <translation> (tombol {key})</translation>
    </message>
    <message>
        <source>no description yet</source>
        <translation>belum ada keterangan</translation>
    </message>
    <message>
        <source>Edit the guidelines</source>
        <translation>Sunting pedoman</translation>
    </message>
    <message>
        <source>Markdown: # headings, **bold**, - lists. Saved in the project, for everyone who opens it.</source>
        <translation>Markdown: # judul, **tebal**, - daftar. Disimpan di proyek, untuk semua orang yang membukanya.</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Sunting…</translation>
    </message>
    <message>
        <source>{key} (Help &gt; Guidelines) shows or hides them</source>
        <translation>{key} (Bantuan &gt; Pedoman) menampilkan atau menyembunyikannya</translation>
    </message>
    <message>
        <source>Guidelines</source>
        <translation>Pedoman</translation>
    </message>
</context>
<context>
    <name>i18n</name>
    <message>
        <source>Follow the system</source>
        <translation>Ikuti sistem</translation>
    </message>
</context>
<context>
    <name>keymap</name>
    <message>
        <source> and </source>
        <translation> dan </translation>
    </message>
    <message>
        <source>in the article text</source>
        <extracomment>Where an action works; translated where shown (``where_text``), like every name and help of the table.</extracomment>
        <translation>di teks artikel</translation>
    </message>
    <message>
        <source>anywhere in the window</source>
        <translation>di mana saja dalam jendela</translation>
    </message>
    <message>
        <source>Accept suggestion</source>
        <translation>Terima saran</translation>
    </message>
    <message>
        <source>accept the selected suggestion (and move to the next)</source>
        <translation>terima saran yang dipilih (lalu pindah ke berikutnya)</translation>
    </message>
    <message>
        <source>Reject suggestion</source>
        <translation>Tolak saran</translation>
    </message>
    <message>
        <source>reject the selected suggestion (hidden; the learned gazetteer counts it)</source>
        <translation>tolak saran yang dipilih (disembunyikan; gazetir yang dipelajari mencatatnya)</translation>
    </message>
    <message>
        <source>Accept all suggestions</source>
        <translation>Terima semua saran</translation>
    </message>
    <message>
        <source>accept every suggestion in the article (one undo step)</source>
        <translation>terima semua saran di artikel (satu langkah batal)</translation>
    </message>
    <message>
        <source>Article</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Delete span</source>
        <translation>Hapus rentang</translation>
    </message>
    <message>
        <source>delete the selected span</source>
        <translation>hapus rentang yang dipilih</translation>
    </message>
    <message>
        <source>Next span</source>
        <translation>Rentang berikutnya</translation>
    </message>
    <message>
        <source>select the next span or suggestion</source>
        <translation>pilih rentang atau saran berikutnya</translation>
    </message>
    <message>
        <source>Previous span</source>
        <translation>Rentang sebelumnya</translation>
    </message>
    <message>
        <source>select the previous span or suggestion</source>
        <translation>pilih rentang atau saran sebelumnya</translation>
    </message>
    <message>
        <source>Span start one word left</source>
        <translation>Awal rentang satu kata ke kiri</translation>
    </message>
    <message>
        <source>move the selected span&apos;s start one word left</source>
        <translation>geser awal rentang yang dipilih satu kata ke kiri</translation>
    </message>
    <message>
        <source>Span start one word right</source>
        <translation>Awal rentang satu kata ke kanan</translation>
    </message>
    <message>
        <source>move the selected span&apos;s start one word right</source>
        <translation>geser awal rentang yang dipilih satu kata ke kanan</translation>
    </message>
    <message>
        <source>Span end one word left</source>
        <translation>Akhir rentang satu kata ke kiri</translation>
    </message>
    <message>
        <source>move the selected span&apos;s end one word left</source>
        <translation>geser akhir rentang yang dipilih satu kata ke kiri</translation>
    </message>
    <message>
        <source>Span end one word right</source>
        <translation>Akhir rentang satu kata ke kanan</translation>
    </message>
    <message>
        <source>move the selected span&apos;s end one word right</source>
        <translation>geser akhir rentang yang dipilih satu kata ke kanan</translation>
    </message>
    <message>
        <source>Clear the selection</source>
        <translation>Kosongkan pilihan</translation>
    </message>
    <message>
        <source>clear the selection</source>
        <translation>kosongkan pilihan</translation>
    </message>
    <message>
        <source>Mark done and next</source>
        <translation>Tandai selesai dan lanjut</translation>
    </message>
    <message>
        <source>mark the article done and open the next one not done</source>
        <translation>tandai artikel selesai dan buka artikel berikutnya yang belum selesai</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Berikutnya</translation>
    </message>
    <message>
        <source>next article</source>
        <translation>artikel berikutnya</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Sebelumnya</translation>
    </message>
    <message>
        <source>previous article</source>
        <translation>artikel sebelumnya</translation>
    </message>
    <message>
        <source>New project…</source>
        <translation>Proyek baru…</translation>
    </message>
    <message>
        <source>start a new project</source>
        <translation>mulai proyek baru</translation>
    </message>
    <message>
        <source>File</source>
        <extracomment>The menus the table names (``KeyAction.menu``, shown by ``menu_name``).</extracomment>
        <translation>Berkas</translation>
    </message>
    <message>
        <source>Open project…</source>
        <translation>Buka proyek…</translation>
    </message>
    <message>
        <source>open another project</source>
        <translation>buka proyek lain</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Impor…</translation>
    </message>
    <message>
        <source>import articles</source>
        <translation>impor artikel</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Ekspor…</translation>
    </message>
    <message>
        <source>export spans</source>
        <translation>ekspor rentang</translation>
    </message>
    <message>
        <source>Join team project…</source>
        <translation>Gabung ke proyek tim…</translation>
    </message>
    <message>
        <source>make a local copy of a team project and open it</source>
        <translation>buat salinan lokal proyek tim lalu buka</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sinkronkan sekarang</translation>
    </message>
    <message>
        <source>send your changes to the team server and fetch the others&apos; now</source>
        <translation>kirim perubahan Anda ke server tim dan ambil perubahan yang lain sekarang</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <source>close Sorot (everything is saved already)</source>
        <translation>tutup Sorot (semuanya sudah tersimpan)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Batalkan</translation>
    </message>
    <message>
        <source>undo the last change</source>
        <translation>batalkan perubahan terakhir</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Sunting</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Ulangi</translation>
    </message>
    <message>
        <source>redo what was undone</source>
        <translation>ulangi yang tadi dibatalkan</translation>
    </message>
    <message>
        <source>Find…</source>
        <translation>Cari…</translation>
    </message>
    <message>
        <source>find in the article</source>
        <translation>cari di artikel</translation>
    </message>
    <message>
        <source>Find next</source>
        <translation>Cari berikutnya</translation>
    </message>
    <message>
        <source>next hit of the search</source>
        <translation>temuan pencarian berikutnya</translation>
    </message>
    <message>
        <source>Find previous</source>
        <translation>Cari sebelumnya</translation>
    </message>
    <message>
        <source>previous hit of the search</source>
        <translation>temuan pencarian sebelumnya</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Lewati</translation>
    </message>
    <message>
        <source>mark the article skipped and open the next one not done</source>
        <translation>tandai artikel dilewati dan buka artikel berikutnya yang belum selesai</translation>
    </message>
    <message>
        <source>Flag for review</source>
        <translation>Tandai untuk ditinjau</translation>
    </message>
    <message>
        <source>flag the article for review</source>
        <translation>tandai artikel untuk ditinjau</translation>
    </message>
    <message>
        <source>Suggest again</source>
        <translation>Sarankan lagi</translation>
    </message>
    <message>
        <source>run the suggesters on the article again</source>
        <translation>jalankan lagi pemberi saran pada artikel ini</translation>
    </message>
    <message>
        <source>Suggest for the whole project…</source>
        <translation>Sarankan untuk seluruh proyek…</translation>
    </message>
    <message>
        <source>run the suggesters on every article waiting</source>
        <translation>jalankan pemberi saran pada semua artikel yang menunggu</translation>
    </message>
    <message>
        <source>Articles list</source>
        <translation>Daftar artikel</translation>
    </message>
    <message>
        <source>show or hide the articles list</source>
        <translation>tampilkan atau sembunyikan daftar artikel</translation>
    </message>
    <message>
        <source>View</source>
        <translation>Tampilan</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Tinjauan</translation>
    </message>
    <message>
        <source>open the review window</source>
        <translation>buka jendela tinjauan</translation>
    </message>
    <message>
        <source>Train…</source>
        <translation>Latih…</translation>
    </message>
    <message>
        <source>train a model on the finished articles</source>
        <translation>latih model dengan artikel yang sudah selesai</translation>
    </message>
    <message>
        <source>Bigger text</source>
        <translation>Perbesar teks</translation>
    </message>
    <message>
        <source>make the text bigger (remembered)</source>
        <translation>perbesar teks (diingat)</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>Perkecil teks</translation>
    </message>
    <message>
        <source>make the text smaller (remembered)</source>
        <translation>perkecil teks (diingat)</translation>
    </message>
    <message>
        <source>Text at 100 %</source>
        <translation>Teks 100 %</translation>
    </message>
    <message>
        <source>text back to its normal size</source>
        <translation>kembalikan teks ke ukuran normal</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Pengaturan…</translation>
    </message>
    <message>
        <source>your name, the language, the suggesters and the keys</source>
        <translation>nama Anda, bahasa, pemberi saran, dan tombol</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Suggesters…</source>
        <translation>Pemberi saran…</translation>
    </message>
    <message>
        <source>choose the suggesters</source>
        <translation>pilih pemberi saran</translation>
    </message>
    <message>
        <source>Keys…</source>
        <translation>Tombol…</translation>
    </message>
    <message>
        <source>change the keys</source>
        <translation>ubah tombol</translation>
    </message>
    <message>
        <source>Label set…</source>
        <translation>Kumpulan label…</translation>
    </message>
    <message>
        <source>edit the labels, their colours and keys</source>
        <translation>sunting label, warna, dan tombolnya</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>Papan ketik</translation>
    </message>
    <message>
        <source>this list of keys</source>
        <translation>daftar tombol ini</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Bantuan</translation>
    </message>
    <message>
        <source>Guidelines</source>
        <translation>Pedoman</translation>
    </message>
    <message>
        <source>show or hide the labelling guidelines beside the text</source>
        <translation>tampilkan atau sembunyikan pedoman pelabelan di samping teks</translation>
    </message>
    <message>
        <source>About Sorot</source>
        <translation>Tentang Sorot</translation>
    </message>
    <message>
        <source>what Sorot is</source>
        <translation>tentang Sorot</translation>
    </message>
    <message>
        <source>Select text (mouse, or Shift+arrows)</source>
        <extracomment>What the mouse does, for the cheat-sheet (not keys, so not remappable).</extracomment>
        <translation>Pilih teks (tetikus, atau Shift+panah)</translation>
    </message>
    <message>
        <source>then a label key</source>
        <translation>lalu tombol label</translation>
    </message>
    <message>
        <source>Click a span</source>
        <translation>Klik sebuah rentang</translation>
    </message>
    <message>
        <source>select it (innermost; click again for the span around it)</source>
        <translation>memilihnya (yang terdalam; klik lagi untuk rentang di sekitarnya)</translation>
    </message>
    <message>
        <source>the label {name}</source>
        <translation>label {name}</translation>
    </message>
    <message>
        <source>{menu} menu</source>
        <translation>menu {menu}</translation>
    </message>
    <message>
        <source>“{action}” ({where})</source>
        <translation>“{action}” ({where})</translation>
    </message>
    <message>
        <source>{key} would do two things: {names}.</source>
        <translation>{key} akan melakukan dua hal: {names}.</translation>
    </message>
    <message>
        <source>Press a key first.</source>
        <translation>Tekan sebuah tombol terlebih dahulu.</translation>
    </message>
    <message>
        <source>{key} is several keys in a row: choose one key (with Ctrl, Alt or Shift if you like).</source>
        <translation>{key} adalah beberapa tombol berurutan: pilih satu tombol (boleh dengan Ctrl, Alt, atau Shift).</translation>
    </message>
    <message>
        <source>Choose another key, or change that label&apos;s key in Settings &gt; Label set first.</source>
        <translation>Pilih tombol lain, atau ubah dulu tombol label itu di Pengaturan &gt; Kumpulan label.</translation>
    </message>
    <message>
        <source>Choose another key, or give that action a different key first.</source>
        <translation>Pilih tombol lain, atau beri dulu tindakan itu tombol yang berbeda.</translation>
    </message>
    <message>
        <source>{key} is already taken by {holder}. {fix}</source>
        <translation>{key} sudah dipakai oleh {holder}. {fix}</translation>
    </message>
</context>
<context>
    <name>operations</name>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Mengimpor…</translation>
    </message>
    <message>
        <source>Import finished</source>
        <translation>Impor selesai</translation>
    </message>
    <message>
        <source>{count} file(s) could not be read; see the details.</source>
        <translation>{count} berkas tidak dapat dibaca; lihat rinciannya.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Mengekspor…</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>Ekspor selesai</translation>
    </message>
    <message>
        <source>{articles} article(s), {spans} span(s) written.</source>
        <translation>{articles} artikel, {spans} rentang ditulis.</translation>
    </message>
    <message>
        <source>{count} problem(s); see the details.</source>
        <translation>{count} masalah; lihat rinciannya.</translation>
    </message>
</context>
<context>
    <name>palette</name>
    <message>
        <source>Labels:</source>
        <translation>Label:</translation>
    </message>
    <message>
        <source>no description yet</source>
        <translation>belum ada keterangan</translation>
    </message>
    <message>
        <source>Key: {key} ({kind}) · Guidelines: Shift+F1</source>
        <translation>Tombol: {key} ({kind}) · Pedoman: Shift+F1</translation>
    </message>
</context>
<context>
    <name>review</name>
    <message>
        <source>{title}: any</source>
        <translation>{title}: semua</translation>
    </message>
    <message>
        <source>match</source>
        <extracomment>The comparison&apos;s words (``annotator.agreement``), translated where shown.</extracomment>
        <translation>cocok</translation>
    </message>
    <message>
        <source>mismatch</source>
        <translation>tidak cocok</translation>
    </message>
    <message>
        <source>label</source>
        <translation>label</translation>
    </message>
    <message>
        <source>boundary</source>
        <translation>batas</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>tidak ada</translation>
    </message>
    <message>
        <source>only one</source>
        <translation>hanya satu</translation>
    </message>
    <message>
        <source>Article #</source>
        <translation>Artikel #</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Siapa</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Apa</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>Rentang</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Annotator</source>
        <translation>Anotator</translation>
    </message>
    <message>
        <source>Pick a change to see the article as it was right after it.</source>
        <translation>Pilih sebuah perubahan untuk melihat artikel seperti tepat setelah perubahan itu.</translation>
    </message>
    <message>
        <source>Restore this version</source>
        <translation>Pulihkan versi ini</translation>
    </message>
    <message>
        <source>As it was right after change {event}: {count} spans</source>
        <translation>Seperti tepat setelah perubahan {event}: {count} rentang</translation>
    </message>
    <message>
        <source>only {annotator}</source>
        <translation>hanya {annotator}</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Tempat</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Penilaian</translation>
    </message>
    <message>
        <source>annotators (comma separated; empty = all but gold)</source>
        <translation>anotator (dipisahkan koma; kosong = semua kecuali gold)</translation>
    </message>
    <message>
        <source>labels (empty = all)</source>
        <translation>label (kosong = semua)</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>Hitung</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>Rentang</translation>
    </message>
    <message>
        <source>F1 exact</source>
        <translation>F1 persis</translation>
    </message>
    <message>
        <source>F1 overlap</source>
        <translation>F1 tumpang tindih</translation>
    </message>
    <message>
        <source>Cohen&apos;s κ</source>
        <translation>κ Cohen</translation>
    </message>
    <message>
        <source>Krippendorff&apos;s α</source>
        <translation>α Krippendorff</translation>
    </message>
    <message>
        <source>Article</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Menghitung…</translation>
    </message>
    <message>
        <source>{count} articles annotated by two or more of {annotators}</source>
        <translation>{count} artikel dianotasi oleh dua orang atau lebih dari {annotators}</translation>
    </message>
    <message>
        <source>overall</source>
        <translation>keseluruhan</translation>
    </message>
    <message>
        <source>Articles listed from least agreement. Note: {note}.</source>
        <translation>Artikel diurutkan dari kesepakatan paling rendah. Catatan: {note}.</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Keputusan</translation>
    </message>
    <message>
        <source>Save reviewed version &amp;&amp; next</source>
        <translation>Simpan versi tinjauan &amp;&amp; lanjut</translation>
    </message>
    <message>
        <source>Saved as annotator “{gold}”, status accepted; the article becomes reviewed.</source>
        <translation>Disimpan sebagai anotator “{gold}”, status diterima; artikel menjadi sudah ditinjau.</translation>
    </message>
    <message>
        <source>{count} to decide</source>
        <translation>{count} perlu diputuskan</translation>
    </message>
    <message>
        <source>annotators: {names}</source>
        <translation>anotator: {names}</translation>
    </message>
    <message>
        <source>no span here</source>
        <translation>tidak ada rentang di sini</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Sebelum</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Sesudah</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>Asal</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Diperbarui</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(tidak ada)</translation>
    </message>
    <message>
        <source>Search span text…</source>
        <translation>Cari teks rentang…</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Terima</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Tolak</translation>
    </message>
    <message>
        <source>Relabel as…</source>
        <translation>Ganti label menjadi…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Mark article…</source>
        <translation>Tandai artikel…</translation>
    </message>
    <message>
        <source>Acts on the selected rows, or on every span the filter shows when none is selected</source>
        <translation>Berlaku untuk baris yang dipilih, atau untuk semua rentang yang ditampilkan filter jika tidak ada yang dipilih</translation>
    </message>
    <message>
        <source>{count}+ spans</source>
        <translation>{count}+ rentang</translation>
    </message>
    <message>
        <source>{count} span</source>
        <translation>{count} rentang</translation>
    </message>
    <message>
        <source>{count} spans</source>
        <translation>{count} rentang</translation>
    </message>
    <message>
        <source>Accept {count} spans?</source>
        <translation>Terima {count} rentang?</translation>
    </message>
    <message>
        <source>Reject {count} spans?</source>
        <translation>Tolak {count} rentang?</translation>
    </message>
    <message>
        <source>Delete {count} spans?</source>
        <translation>Hapus {count} rentang?</translation>
    </message>
    <message>
        <source>Relabel {count} spans as {label}?</source>
        <translation>Ganti label {count} rentang menjadi {label}?</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Tinjauan</translation>
    </message>
    <message>
        <source>Why is this article {status}?</source>
        <translation>Mengapa artikel ini {status}?</translation>
    </message>
    <message>
        <source>Sorot — Review</source>
        <translation>Sorot — Tinjauan</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Riwayat</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Bandingkan</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>Kesepakatan</translation>
    </message>
    <message>
        <source>Adjudicate</source>
        <translation>Putuskan</translation>
    </message>
    <message>
        <source>Stats</source>
        <translation>Statistik</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Sunting</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Batalkan</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Ulangi</translation>
    </message>
</context>
<context>
    <name>span_panel</name>
    <message>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Teks</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>Asal</translation>
    </message>
    <message>
        <source>Annotator</source>
        <translation>Anotator</translation>
    </message>
    <message>
        <source>Note on the selected span (saved when you leave the field)</source>
        <extracomment>More changed rows than this and the table is reset rather than patched row by row.</extracomment>
        <translation>Catatan rentang terpilih (disimpan saat kolom ditinggalkan)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Catatan</translation>
    </message>
    <message>
        <source>Claimant</source>
        <translation>Sumber klaim</translation>
    </message>
    <message>
        <source>— no claimant —</source>
        <translation>— tanpa sumber klaim —</translation>
    </message>
    <message>
        <source>suggested claimant, accepted with the claim</source>
        <translation>sumber klaim yang disarankan, diterima bersama klaimnya</translation>
    </message>
</context>
<context>
    <name>stats</name>
    <message>
        <source>Refresh</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>Compute training curve</source>
        <translation>Hitung kurva pelatihan</translation>
    </message>
    <message>
        <source>Train on 25, 50, 75 and 100% of the finished articles in the background and score each on the same held-back articles: is more data still helping?</source>
        <translation>Latih dengan 25, 50, 75, dan 100% artikel yang sudah selesai di latar belakang dan nilai masing-masing pada artikel yang disisihkan yang sama: apakah data tambahan masih membantu?</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Menghitung…</translation>
    </message>
    <message>
        <source>Training curve: training on 25% of the finished articles…</source>
        <translation>Kurva pelatihan: melatih dengan 25% artikel yang sudah selesai…</translation>
    </message>
    <message>
        <source>Training curve: {line}</source>
        <translation>Kurva pelatihan: {line}</translation>
    </message>
    <message>
        <source>The training curve could not be made (exit code {code})</source>
        <translation>Kurva pelatihan tidak dapat dibuat (kode keluar {code})</translation>
    </message>
    <message>
        <source>{count} articles: </source>
        <translation>{count} artikel: </translation>
    </message>
    <message>
        <source>Spans per label</source>
        <translation>Rentang per label</translation>
    </message>
    <message>
        <source>Articles finished per day</source>
        <translation>Artikel selesai per hari</translation>
    </message>
    <message>
        <source>{count} art.</source>
        <translation>{count} art.</translation>
    </message>
    <message>
        <source>Spans per annotator</source>
        <translation>Rentang per anotator</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>menunggu</translation>
    </message>
    <message>
        <source>nothing decided yet</source>
        <translation>belum ada yang diputuskan</translation>
    </message>
    <message>
        <source>{rate} of {decided} accepted</source>
        <translation>{rate} dari {decided} diterima</translation>
    </message>
    <message>
        <source>Suggestions: accepted / rejected per suggester</source>
        <translation>Saran: diterima / ditolak per pemberi saran</translation>
    </message>
    <message>
        <source>Acceptance rate per suggester, per day</source>
        <translation>Tingkat penerimaan per pemberi saran, per hari</translation>
    </message>
    <message>
        <source>all labels</source>
        <translation>semua label</translation>
    </message>
    <message>
        <source>Training curve (held-out F)</source>
        <translation>Kurva pelatihan (F pada data uji)</translation>
    </message>
    <message>
        <source>nothing yet</source>
        <translation>belum ada</translation>
    </message>
</context>
<context>
    <name>status</name>
    <message>
        <source>new</source>
        <extracomment>What Settings offers: follow the system, or one of the languages the desk speaks. The languages that have a translation file (English is the source). Statuses are data (stored in English, ``in_progress`` with an underscore); they are translated where they are shown, under their names with spaces.</extracomment>
        <translation>baru</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>sedang dikerjakan</translation>
    </message>
    <message>
        <source>done</source>
        <translation>selesai</translation>
    </message>
    <message>
        <source>reviewed</source>
        <translation>sudah ditinjau</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>dilewati</translation>
    </message>
    <message>
        <source>flagged</source>
        <translation>ditandai</translation>
    </message>
    <message>
        <source>suggested</source>
        <translation>disarankan</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>diterima</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>ditolak</translation>
    </message>
    <message>
        <source>entity</source>
        <extracomment>Label kinds, likewise.</extracomment>
        <translation>entitas</translation>
    </message>
    <message>
        <source>claim</source>
        <translation>klaim</translation>
    </message>
</context>
<context>
    <name>suggest</name>
    <message>
        <source>suggesting article {id}</source>
        <extracomment>(text, label, change in times accepted or created, change in times rejected) Bumped whenever the gazetteer&apos;s contents may have changed (updates, a rebuild). Article id -&gt; the gazetteer_version its gazetteer suggestions were made with.</extracomment>
        <translation>menyarankan artikel {id}</translation>
    </message>
    <message>
        <source>article {id}: {error}</source>
        <translation>artikel {id}: {error}</translation>
    </message>
</context>
<context>
    <name>suggesters</name>
    <message>
        <source>Rules (built in: names, places, quotes)</source>
        <extracomment>A suggester the analyst can pick: (spec item, what the list shows, tooltip). Always offered, no import needed (the kinds that take no argument). The built-in suggesters&apos; words (the registry&apos;s English, ``annotator.suggest``), for the translation: a registry text not listed here shows in English (a test checks they match).</extracomment>
        <translation>Aturan (bawaan: nama, tempat, kutipan)</translation>
    </message>
    <message>
        <source>Hand-written rules; fast, no model needed.</source>
        <translation>Aturan yang ditulis tangan; cepat, tanpa model.</translation>
    </message>
    <message>
        <source>Learned gazetteer (what you labelled)</source>
        <translation>Gazetir yang dipelajari (yang sudah Anda beri label)</translation>
    </message>
    <message>
        <source>Suggests again every text you accepted or labelled.</source>
        <translation>Menyarankan lagi setiap teks yang pernah Anda terima atau beri label.</translation>
    </message>
</context>
<context>
    <name>train_dialog</name>
    <message>
        <source>Train a model</source>
        <extracomment>The finished training&apos;s result (also on Cancel when a best model was kept). The job ended, whatever happened: &quot;done&quot;, &quot;cancelled&quot; or &quot;failed&quot;.</extracomment>
        <translation>Latih model</translation>
    </message>
    <message>
        <source>{kind}, {count} accepted</source>
        <translation>{kind}, {count} diterima</translation>
    </message>
    <message>
        <source>empty: train from scratch; or a spaCy pipeline name or folder to fine-tune</source>
        <translation>kosong: latih dari awal; atau nama pipeline spaCy atau folder untuk disetel ulang</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Evaluation share</source>
        <translation>Porsi evaluasi</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>Model dasar</translation>
    </message>
    <message>
        <source>Max epochs</source>
        <translation>Epoch maksimum</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Benih acak</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Folder keluaran</translation>
    </message>
    <message>
        <source>Trains on the accepted spans of articles marked done or reviewed.</source>
        <translation>Melatih dengan rentang yang diterima dari artikel berstatus selesai atau sudah ditinjau.</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Latih</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Choose at least one label.</source>
        <translation>Pilih paling sedikit satu label.</translation>
    </message>
    <message>
        <source>training {labels} into {folder}</source>
        <translation>melatih {labels} ke {folder}</translation>
    </message>
    <message>
        <source>Stopping after the current step; the best model so far is kept…</source>
        <translation>Berhenti setelah langkah ini; model terbaik sejauh ini disimpan…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Training stopped; the best model so far was kept and is registered as a suggester (spacy:{path}).</source>
        <translation>Pelatihan dihentikan; model terbaik sejauh ini disimpan dan didaftarkan sebagai pemberi saran (spacy:{path}).</translation>
    </message>
    <message>
        <source>Training done; the model is registered as a suggester (spacy:{path}).</source>
        <translation>Pelatihan selesai; model didaftarkan sebagai pemberi saran (spacy:{path}).</translation>
    </message>
    <message>
        <source>error: {message}</source>
        <translation>galat: {message}</translation>
    </message>
    <message>
        <source>cancelled before a first model was made; nothing was written</source>
        <translation>dibatalkan sebelum model pertama jadi; tidak ada yang ditulis</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Dibatalkan.</translation>
    </message>
</context>
<context>
    <name>undo</name>
    <message>
        <source>Add span</source>
        <translation>Tambah rentang</translation>
    </message>
    <message>
        <source>Delete span</source>
        <translation>Hapus rentang</translation>
    </message>
    <message>
        <source>Restore span</source>
        <translation>Pulihkan rentang</translation>
    </message>
    <message>
        <source>Change span</source>
        <translation>Ubah rentang</translation>
    </message>
    <message>
        <source>Link spans</source>
        <translation>Tautkan rentang</translation>
    </message>
    <message>
        <source>Unlink spans</source>
        <translation>Lepas tautan rentang</translation>
    </message>
    <message>
        <source>Set article status</source>
        <translation>Tetapkan status artikel</translation>
    </message>
    <message>
        <source>Set my article state</source>
        <translation>Tetapkan keadaan artikel saya</translation>
    </message>
    <message>
        <source>Assign articles</source>
        <translation>Tugaskan artikel</translation>
    </message>
    <message>
        <source>Rename article</source>
        <translation>Ganti nama artikel</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Sunting</translation>
    </message>
    <message>
        <source>Cannot undo “{step}”: {reason}. That step is off the undo list.</source>
        <translation>Tidak dapat membatalkan “{step}”: {reason}. Langkah itu dikeluarkan dari daftar batal.</translation>
    </message>
    <message>
        <source>Cannot redo “{step}”: {reason}. That step is off the undo list.</source>
        <translation>Tidak dapat mengulangi “{step}”: {reason}. Langkah itu dikeluarkan dari daftar batal.</translation>
    </message>
    <message>
        <source>Cannot undo “{step}”: {reason}</source>
        <translation>Tidak dapat membatalkan “{step}”: {reason}</translation>
    </message>
    <message>
        <source>Cannot redo “{step}”: {reason}</source>
        <translation>Tidak dapat mengulangi “{step}”: {reason}</translation>
    </message>
</context>
</TS>
