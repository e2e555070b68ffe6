// A test that makes no assertion fails instead of counting as a pass (every jest project loads this).
beforeEach(() => {
	expect.hasAssertions();
});
