"""The studio page in a real browser: Debian's headless Chromium driven by Selenium.

Starts `performance_rnn serve` on a free port (shipped model + the tiny conditioned
fixture), opens the page, presses Play and checks that notes arrive and keys light, that
control changes (density, conditioning on/off, reset) are acknowledged by the server and
switch the model that plays, that "save as MIDI" downloads a MIDI file holding the notes
played, and that the console shows no error. With a trained conditioned model in models/
it also checks that the generated density follows the slider. Saves a screenshot
(studio_browser_test.png in the working directory, the build folder under CTest).
Usage: studio_browser_test.py PERFORMANCE_RNN_BINARY SOURCE_DIR
"""
import os
import shutil
import sys
import tempfile
import time

import mido
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from studio_server import Studio, studio_models_dir  # noqa: E402

CONDITIONED_MODEL = 'optional_multiconditioned_performance_with_dynamics.safetensors.gz'
SHIPPED_MODEL = 'performance_with_dynamics.safetensors.gz'


def wait_for(what, condition, timeout=15.0, step=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f'timed out waiting for {what}')


def main(binary, source_dir):
    work = tempfile.mkdtemp(prefix='prnn_studio_browser_')
    downloads = os.path.join(work, 'downloads')
    os.makedirs(downloads)
    studio = Studio(binary, '--models_dir=' + studio_models_dir(source_dir, work),
                    '--web_dir=' + os.path.join(source_dir, 'web'))
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which('chromium') or '/usr/bin/chromium'
    for flag in ['--headless=new', '--no-sandbox', '--autoplay-policy=no-user-gesture-required',
                 '--disable-gpu', '--disable-background-networking', '--disable-component-update',
                 '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
                 '--window-size=1280,900', '--user-data-dir=' + os.path.join(work, 'profile')]:
        options.add_argument(flag)
    options.add_experimental_option('prefs', {'download.default_directory': downloads,
                                              'download.prompt_for_download': False})
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(service=Service(shutil.which('chromedriver') or '/usr/bin/chromedriver'),
                              options=options)
    failures = []
    try:
        driver.execute_cdp_cmd('Browser.setDownloadBehavior',
                               {'behavior': 'allow', 'downloadPath': downloads})
        driver.get(studio.url)
        stats = lambda: driver.execute_script('return window.studio && window.studio.stats()')
        wait_for('the hello message (Play enabled)',
                 lambda: driver.find_element(By.ID, 'play').is_enabled())
        models = driver.execute_script('return window.studio.client.hello.models.map(m => m.name)')
        print('models served:', models)
        assert SHIPPED_MODEL in models, models

        # Play: notes arrive, keys light.
        driver.find_element(By.ID, 'play').click()
        wait_for('notes to play', lambda: stats()['notesPlayed'] >= 20, timeout=60)
        wait_for('a lit key', lambda: stats()['lit'] > 0, timeout=10, step=0.02)
        s = stats()
        print('playing:', s)
        assert s['model'] == SHIPPED_MODEL, s
        assert s['until'] > s['streamTime'], 'no lookahead: ' + str(s)

        def acknowledged():
            sent = driver.execute_script('return window.studio.client.seq')
            return wait_for(f'seq {sent} acknowledged', lambda: stats()['seq'] >= sent, timeout=15)

        # Conditioning on: the conditioned model plays; off again: the shipped one.
        driver.find_element(By.ID, 'conditioning-on').click()
        acknowledged()
        conditioned = wait_for('a conditioned model playing',
                               lambda: stats()['model'] if stats()['model'] != SHIPPED_MODEL else None)
        print('conditioning on ->', conditioned)
        assert 'inactive' not in driver.find_element(By.ID, 'conditioning-controls').get_attribute('class')

        # Density: the server acknowledges each change; with a trained conditioned model the
        # notes per second follow the slider (fewest at 1/s, most at 64/s).
        def density_after(index, seconds=6.0):
            driver.execute_script(
                f"const d = document.getElementById('note-density'); d.value = {index};"
                "d.dispatchEvent(new Event('input'));")
            acknowledged()
            time.sleep(seconds)
            return driver.execute_script('return window.studio.player.recent(4).length') / 4.0

        if conditioned == CONDITIONED_MODEL:
            low, high = density_after(0), density_after(6)
            print(f'density 1/s -> {low:.1f} notes/s, 64/s -> {high:.1f} notes/s')
            if not high > 2 * low:
                failures.append(f'density does not follow: {low} vs {high} notes/s')
        else:
            density_after(0, seconds=0.5)
            density_after(6, seconds=0.5)
            print('density: changes acknowledged; following not checked (no trained '
                  f'conditioned model {CONDITIONED_MODEL} in models/)')
        driver.execute_script("document.querySelector('[data-preset=\"c-major\"]').click()")
        acknowledged()
        assert driver.execute_script('return window.location.hash').startswith('#6|2,0,1,0,1,1,0,1,0,1,0,1|')

        driver.find_element(By.ID, 'conditioning-off').click()
        acknowledged()
        wait_for('the unconditioned model again', lambda: stats()['model'] == SHIPPED_MODEL)

        # Reset: acknowledged, and notes keep coming.
        before = stats()['notesPlayed']
        driver.find_element(By.ID, 'reset-rnn').click()
        acknowledged()
        wait_for('notes after the reset', lambda: stats()['notesPlayed'] >= before + 10, timeout=60)

        # Save the last minute as MIDI: a file with the notes played.
        played = driver.execute_script('return window.studio.player.recent(60).length')
        driver.find_element(By.ID, 'save-minutes').clear()
        driver.find_element(By.ID, 'save-minutes').send_keys('1')
        driver.find_element(By.ID, 'save-midi').click()
        path = wait_for('the MIDI download', lambda: next(
            (os.path.join(downloads, f) for f in os.listdir(downloads) if f.endswith('.mid')), None))
        midi = mido.MidiFile(path)
        ons = sum(1 for m in midi if m.type == 'note_on' and m.velocity > 0)
        print(f'downloaded {os.path.basename(path)}: {ons} notes ({played} played in the last minute)')
        assert ons >= played > 0, (ons, played)
        assert midi.length > 1.0, midi.length

        time.sleep(1.0)  # a moment of piano roll for the picture
        driver.save_screenshot('studio_browser_test.png')
        print('screenshot:', os.path.abspath('studio_browser_test.png'))
        print('final:', stats())

        errors = [e for e in driver.get_log('browser') if e['level'] == 'SEVERE']
        for e in errors:
            failures.append('console error: ' + e['message'])
    finally:
        driver.quit()
        status, output = studio.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(output[-2000:])
    if status != 0:
        failures.append(f'serve exited with {status} on SIGTERM')
    if 'studio: stopped' not in output:
        failures.append('serve did not report a clean stop')
    for f in failures:
        print('FAIL:', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
